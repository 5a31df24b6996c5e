import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { FlowEncoder, mlpVAE } from '../src/index.js';

const values = (t: tf.Tensor) => Array.from(t.dataSync());

/** An MLP VAE on [6] inputs with an IAF posterior (so q(z | x) has no closed-form mean). */
function iafModel(seed: number) {
  return mlpVAE({
    inputShape: [6],
    hidden: [16],
    latentDim: 3,
    posterior: { kind: 'iaf', layers: 2 },
    seed,
  });
}

describe('Encoder.code and the VAE methods built on it', () => {
  it('is the posterior mean for a Gaussian encoder', () => {
    const model = mlpVAE({ inputShape: [6], hidden: [16], latentDim: 3, seed: 1 });
    tf.tidy(() => {
      const x = tf.randomUniform([5, 6], 0, 1, 'float32', 2);
      const q = model.encode(x);
      expect(values(model.code(x))).toEqual(values(q.mean()));
      q.dispose();
    });
    model.dispose();
  });

  it('for a flow posterior, is where q(z | x) concentrates as the base variance goes to 0', () => {
    const model = iafModel(3);
    const encoder = model.encoder as FlowEncoder;
    expect(encoder).toBeInstanceOf(FlowEncoder);
    // log-variance head -> -30 everywhere: q0 is (numerically) a point mass at its mean,
    // so every draw of the flow posterior lands on the flow image of that mean.
    const head = encoder.gaussian.logVarianceHead;
    head.weight.assign(tf.zerosLike(head.weight));
    head.bias?.assign(tf.fill(head.bias.shape, -30));
    tf.tidy(() => {
      const x = tf.randomUniform([4, 6], 0, 1, 'float32', 4);
      const code = model.code(x);
      expect(code.shape).toEqual([4, 3]);
      const q = model.encode(x);
      const draws = q.sample([8], 5); // [8, 4, 3]
      expectClose(tf.mean(draws, 0), code, { atol: 1e-5 });
      expectClose(tf.max(tf.abs(tf.sub(draws, code))), 0, { atol: 1e-5 });
      q.dispose();
    });
    model.dispose();
  });

  it('for a flow posterior, differs from the base mean (the flow is applied)', () => {
    const model = iafModel(6);
    const encoder = model.encoder as FlowEncoder;
    tf.tidy(() => {
      const x = tf.randomUniform([4, 6], 0, 1, 'float32', 7);
      const base = encoder.gaussian.call(x);
      const gap = tf.max(tf.abs(tf.sub(model.code(x), base.mean()))).dataSync()[0]!;
      base.dispose();
      expect(gap).toBeGreaterThan(1e-4);
    });
    model.dispose();
  });

  it('lets reconstruct and interpolate work on a flow posterior, consistently', async () => {
    const model = iafModel(8);
    const x = tf.randomUniform([2, 6], 0, 1, 'float32', 9);
    const [a, b] = tf.split(x, 2, 0) as [tf.Tensor, tf.Tensor];
    await expectNoLeaks(() => model.interpolate(a, b, 5));
    await expectNoLeaks(() => model.reconstruct(x));
    await expectNoLeaks(() => model.code(x));
    const line = model.interpolate(a, b, 5);
    const ends = model.reconstruct(x);
    expect(line.shape).toEqual([5, 6]);
    expectClose(tf.gather(line, [0, 4]), ends, { atol: 1e-6 });
    const code = model.code(x);
    const decoded = model.decoder.mean(code);
    expectClose(ends, decoded, { atol: 0 });
    tf.dispose([x, a, b, line, ends, code, decoded]);
    model.dispose();
  });

  it('checks the input shape', () => {
    const model = iafModel(10);
    const wrong = tf.zeros([2, 5]);
    expect(() => model.code(wrong)).toThrow(/VAE\.code: `x` must be \[batch, 6\]/);
    wrong.dispose();
    model.dispose();
  });
});
