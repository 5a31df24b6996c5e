import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  loadModel,
  loadVAE,
  modelToArtifacts,
  ResidualBlock,
  residualConvVAE,
  VaeError,
} from '../src/index.js';

describe('ResidualBlock', () => {
  it('has the shapes of its resampling mode and computes skip(x) + conv2(act(conv1(act(x))))', async () => {
    const cases = [
      { inChannels: 2, outChannels: 2, resample: 'none', shape: [2, 4, 4, 2], skip: false },
      { inChannels: 2, outChannels: 3, resample: 'none', shape: [2, 4, 4, 3], skip: true },
      { inChannels: 2, outChannels: 3, resample: 'down', shape: [2, 2, 2, 3], skip: true },
      { inChannels: 2, outChannels: 3, resample: 'up', shape: [2, 8, 8, 3], skip: true },
    ] as const;
    for (const { shape, skip, ...options } of cases) {
      const block = new ResidualBlock({ ...options, activation: 'elu', seed: 3 });
      expect(block.skip !== undefined).toBe(skip);
      await expectNoLeaks(() => {
        const x = tf.randomNormal([2, 4, 4, 2], 0, 1, 'float32', 1);
        const y = block.apply(x);
        expect(y.shape).toEqual(shape);
        tf.tidy(() => {
          const act = (t: tf.Tensor) => tf.elu(t);
          const h = block.conv2.apply(act(block.conv1.apply(act(x))));
          const expected = tf.add(block.skip === undefined ? x : block.skip.apply(x), h);
          expectClose(y, expected, { rtol: 1e-5, atol: 1e-5 });
        });
        tf.dispose([x, y]);
      });
      block.dispose();
    }
  });

  it('gradients with respect to the input match finite differences', () => {
    const block = new ResidualBlock({
      inChannels: 1,
      outChannels: 2,
      resample: 'down',
      activation: 'tanh',
      seed: 2,
    });
    const x = tf.randomNormal([1, 4, 4, 1], 0, 1, 'float32', 5);
    const f = (input: tf.Tensor) => tf.sum(tf.square(block.apply(input))) as tf.Scalar;
    const analytic = tf.grad(f)(x);
    const numeric = numericGradient(f, x);
    expectClose(analytic, numeric, { rtol: 2e-2, atol: 2e-2 });
    tf.dispose([x, analytic, numeric]);
    block.dispose();
  });

  it('saves and loads to the same outputs', async () => {
    const block = new ResidualBlock({
      inChannels: 2,
      outChannels: 4,
      resample: 'up',
      activation: 'relu',
      seed: 7,
    });
    const loaded = (await loadModel(await modelToArtifacts(block))) as ResidualBlock;
    expect(loaded).toBeInstanceOf(ResidualBlock);
    expect(loaded.resample).toBe('up');
    tf.tidy(() => {
      const x = tf.randomNormal([1, 3, 3, 2], 0, 1, 'float32', 8);
      expectClose(loaded.apply(x), block.apply(x), { rtol: 0, atol: 0 });
    });
    block.dispose();
    loaded.dispose();
  });

  it('rejects a bad resample mode and an input of the wrong shape', () => {
    expect(
      () => new ResidualBlock({ inChannels: 1, outChannels: 1, resample: 'sideways' as 'up' }),
    ).toThrow(/`resample` must be 'none', 'down' or 'up', got "sideways"/);
    const block = new ResidualBlock({ inChannels: 3, outChannels: 3, seed: 1 });
    const x = tf.zeros([1, 4, 4, 2]);
    expect(() => block.apply(x)).toThrow(VaeError);
    expect(() => block.apply(x)).toThrow(
      /must be \[batch, h, w, 3\], got a tensor of shape \[1, 4, 4, 2\]/,
    );
    x.dispose();
    block.dispose();
  });
});

describe('residualConvVAE', () => {
  const tiny = (seed = 1) =>
    residualConvVAE({ inputShape: [8, 8, 1], channels: [2, 3], hidden: 6, latentDim: 2, seed });

  it('encodes images to [batch, latentDim] and decodes and samples images of the input shape', async () => {
    const model = tiny();
    await expectNoLeaks(() => {
      const x = tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 2);
      const q = model.encode(x);
      const z = q.rsample([], 3);
      expect(z.shape).toEqual([3, 2]);
      const p = model.decode(z);
      const binary = tf.round(x);
      const logLik = p.logProb(binary);
      expect(logLik.shape).toEqual([3]);
      expect(logLik.dataSync().every(Number.isFinite)).toBe(true);
      const images = model.sample(2, { seed: 4 });
      expect(images.shape).toEqual([2, 8, 8, 1]);
      q.dispose();
      p.dispose();
      tf.dispose([x, binary, z, logLik, images]);
    });
    model.dispose();
  });

  it('is seeded: the same seed gives the same weights, seed 0 included; another seed differs', () => {
    const flat = (seed: number) => {
      const model = tiny(seed);
      const out = model.trainableVariables.flatMap((v) => Array.from(v.dataSync()));
      model.dispose();
      return out;
    };
    expect(flat(0)).toEqual(flat(0));
    expect(flat(0)).not.toEqual(flat(1));
  });

  it('saves and loads to the same numbers (encoder, decoder, samples)', async () => {
    for (const prior of ['standard-normal', { kind: 'vamp', components: 2 }] as const) {
      const model = residualConvVAE({
        inputShape: [8, 8, 1],
        channels: [2],
        hidden: 4,
        latentDim: 2,
        prior,
        seed: 5,
      });
      const loaded = await loadVAE(await modelToArtifacts(model));
      tf.tidy(() => {
        const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 6);
        const numbers = (m: typeof model) => {
          const q = m.encode(x);
          const z = q.rsample([], 7);
          const p = m.decode(z);
          const out = [q.logProb(z), p.logProb(tf.round(x)), m.sample(2, { seed: 8 })];
          q.dispose();
          p.dispose();
          return out;
        };
        const [a, b] = [numbers(model), numbers(loaded)];
        for (const [i, t] of a.entries()) expectClose(t, b[i]!, { rtol: 0, atol: 0 });
      });
      model.dispose();
      loaded.dispose();
    }
  });

  it('rejects sizes not divisible by 2^stages and bad block counts', () => {
    expect(() => residualConvVAE({ inputShape: [6, 6, 1], channels: [2, 3] })).toThrow(
      /must be divisible by 4 for 2 stages, got \[6,6,1\]/,
    );
    expect(() => residualConvVAE({ blocks: -1 })).toThrow(
      /`blocks` must be an integer >= 0, got -1/,
    );
    expect(() => residualConvVAE({ channels: [] })).toThrow(VaeError);
  });
});
