import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { convVAE, type DiagonalNormal, type Likelihood, mlpVAE, VaeError } from '../src/index.js';

const LIKELIHOODS: Likelihood[] = ['bernoulli', 'gaussian', 'continuous-bernoulli'];

describe.each(LIKELIHOODS)('mlpVAE (%s)', (likelihood) => {
  it('encodes, decodes, samples, reconstructs and interpolates with the right shapes', async () => {
    const model = mlpVAE({ inputShape: [6], hidden: [5], latentDim: 2, likelihood, seed: 1 });
    const x = tf.randomUniform([3, 6], 0, 1, 'float32', 2);
    const q = await expectNoLeaks(() => {
      const posterior = model.encode(x);
      const shapes = [
        posterior.batchShape,
        posterior.eventShape,
        (posterior as DiagonalNormal).loc.shape,
      ];
      posterior.dispose();
      return shapes;
    });
    expect(q).toEqual([[3], [2], [3, 2]]);
    const z = tf.zeros([4, 2]);
    const half = tf.fill([4, 6], 0.5);
    const logProb = await expectNoLeaks(() => {
      const p = model.decode(z);
      const value = p.logProb(half);
      p.dispose();
      return value;
    });
    expect(logProb.shape).toEqual([4]);
    expect((await expectNoLeaks(() => model.sample(5, { seed: 3 }))).shape).toEqual([5, 6]);
    expect((await expectNoLeaks(() => model.reconstruct(x))).shape).toEqual([3, 6]);
    expect(
      (await expectNoLeaks(() => model.reconstruct(x, { sample: true, seed: 1 }))).shape,
    ).toEqual([3, 6]);
    const a = tf.zeros([6]);
    const b = tf.ones([1, 6]);
    expect((await expectNoLeaks(() => model.interpolate(a, b, 4))).shape).toEqual([4, 6]);
    tf.dispose([x, z, a, b, half]);
    model.dispose();
  });
});

describe('VAE', () => {
  it('names parameters hierarchically and is deterministic by seed', () => {
    const a = mlpVAE({ inputShape: [6], hidden: [5], latentDim: 2, seed: 7 });
    const b = mlpVAE({ inputShape: [6], hidden: [5], latentDim: 2, seed: 7 });
    expect(a.namedParameters().map(([n]) => n)).toEqual([
      'encoder.body.0.weight',
      'encoder.body.0.bias',
      'encoder.loc.weight',
      'encoder.loc.bias',
      'encoder.logVariance.weight',
      'encoder.logVariance.bias',
      'decoder.body.0.weight',
      'decoder.body.0.bias',
      'decoder.body.2.weight',
      'decoder.body.2.bias',
    ]);
    tf.tidy(() => {
      const x = tf.ones([1, 6]);
      expectClose(a.reconstruct(x), b.reconstruct(x), { rtol: 0, atol: 0 });
      expectClose(a.sample(2, { seed: 1 }), b.sample(2, { seed: 1 }), { rtol: 0, atol: 0 });
    });
    a.dispose();
    b.dispose();
  });

  it('sample gives Bernoulli probabilities and interpolate hits both endpoints', () => {
    const model = mlpVAE({ inputShape: [6], hidden: [5], latentDim: 2, seed: 1 });
    tf.tidy(() => {
      const s = model.sample(20, { seed: 1 }).dataSync();
      expect(s.every((v) => v > 0 && v < 1)).toBe(true);
      const a = tf.fill([1, 6], 0.2);
      const b = tf.fill([1, 6], 0.9);
      const path = model.interpolate(a, b, 3);
      expectClose(tf.slice(path, [0, 0], [1, 6]), model.reconstruct(a));
      expectClose(tf.slice(path, [2, 0], [1, 6]), model.reconstruct(b));
    });
    model.dispose();
  });

  it('rejects data of the wrong shape', () => {
    const model = mlpVAE({ inputShape: [6], hidden: [5], latentDim: 2, seed: 1 });
    const x = tf.zeros([2, 5]);
    expect(() => model.encode(x)).toThrow(
      /VAE.encode: `x` must be \[batch, 6\], got a tensor of shape \[2, 5\]/,
    );
    expect(() => model.decode(x)).toThrow(VaeError);
    expect(() => model.sample(0)).toThrow(VaeError);
    x.dispose();
    model.dispose();
  });

  it('dispose frees every tensor the model made', () => {
    const before = tf.memory().numTensors;
    mlpVAE({ inputShape: [6], hidden: [5], latentDim: 2, seed: 1 }).dispose();
    convVAE({
      inputShape: [8, 8, 1],
      channels: [2, 3],
      hidden: 4,
      latentDim: 2,
      seed: 1,
    }).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('convVAE maps images to images', async () => {
    const model = convVAE({
      inputShape: [8, 8, 1],
      channels: [2, 3],
      hidden: 4,
      latentDim: 2,
      seed: 1,
    });
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 1);
    expect((await expectNoLeaks(() => model.reconstruct(x))).shape).toEqual([2, 8, 8, 1]);
    expect((await expectNoLeaks(() => model.sample(3, { seed: 1 }))).shape).toEqual([3, 8, 8, 1]);
    expect(() => convVAE({ inputShape: [6, 6, 1], channels: [2, 3] })).toThrow(/divisible by 4/);
    x.dispose();
    model.dispose();
  });
});
