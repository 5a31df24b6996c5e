import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@vae/divergence';
import { hierarchicalVAE, type VAE } from '@vae/nn';
import { backendTolerance, expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { fit, tensorData } from '@vae/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  elbo,
  iwae,
  iwaeValidationLoss,
  logLikelihood,
  negativeIwaeLoss,
  VaeError,
} from '../src/index.js';

let model: VAE;
let x: tf.Tensor2D;

beforeAll(() => {
  // A tiny two-level model with smooth units, so finite differences are accurate.
  model = hierarchicalVAE({
    inputShape: [6],
    hidden: [[5], [4]],
    latentDims: [3, 2],
    activation: 'tanh',
    seed: 1,
  });
  x = tf.tidy(() =>
    tf.cast(tf.greater(tf.randomUniform([4, 6], 0, 1, 'float32', 2), 0.5), 'float32'),
  ) as tf.Tensor2D;
});

afterAll(() => {
  model.dispose();
  x.dispose();
});

/** The mean and standard error over `runs` seeds of a scalar estimate. */
function meanAndError(estimate: (seed: number) => tf.Scalar, runs: number): [number, number] {
  const values = tf.tidy(() =>
    Array.from(tf.stack(Array.from({ length: runs }, (_, r) => estimate(1000 + r))).dataSync()),
  );
  const mean = values.reduce((a, b) => a + b, 0) / runs;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (runs - 1);
  return [mean, Math.sqrt(variance / runs)];
}

describe('negativeIwaeLoss', () => {
  it('is -mean(iwae) for the same seed, and its metrics are the bound and the k-sample ELBO', async () => {
    const loss = await expectNoLeaks(() => negativeIwaeLoss(model, x, { k: 5, seed: 3 }));
    expect(loss.isDisposed).toBe(true);
    const result = await expectNoLeaks(() =>
      negativeIwaeLoss(model, x, { k: 5, seed: 3, metrics: true }),
    );
    expect(result.metrics.elbo.isDisposed).toBe(true);
    tf.tidy(() => {
      const bound = tf.mean(iwae(model, x, { k: 5, seed: 3 }));
      expectClose(negativeIwaeLoss(model, x, { k: 5, seed: 3 }), tf.neg(bound));
      const { loss, metrics } = negativeIwaeLoss(model, x, { k: 5, seed: 3, metrics: true });
      expectClose(loss, tf.neg(bound));
      expectClose(metrics.iwae, bound);
      // The same draws as elbo with k samples from the bound's first stream.
      const terms = elbo(model, x, { samples: 5, seed: deriveSeed(3, 0), kl: 'montecarlo' });
      expectClose(metrics.elbo, tf.mean(terms.elbo));
    });
  });

  it('IWAE_k >= ELBO and increases with k on a tiny model (means over 40 seeds, 3 standard errors)', () => {
    const [l1, e1] = meanAndError((seed) => negativeIwaeLoss(model, x, { k: 1, seed }), 40);
    const [l5, e5] = meanAndError((seed) => negativeIwaeLoss(model, x, { k: 5, seed }), 40);
    const [l50, e50] = meanAndError((seed) => negativeIwaeLoss(model, x, { k: 50, seed }), 40);
    expect(l1 - l5).toBeGreaterThan(3 * Math.hypot(e1, e5));
    expect(l5 - l50).toBeGreaterThan(3 * Math.hypot(e5, e50));
    // The ELBO (k = 1 is its one-sample estimate) with many samples is below every IWAE bound.
    const elboMean = tf.tidy(
      () => tf.mean(elbo(model, x, { samples: 2000, seed: 5 }).elbo).dataSync()[0]!,
    );
    expect(Math.abs(-l1 - elboMean)).toBeLessThan(3 * e1 + 0.05);
    expect(-l5).toBeGreaterThan(elboMean);
  });

  it('its gradient matches finite differences (k = 5, fixed seed)', () => {
    const named = new Map(model.namedParameters());
    for (const name of [
      'encoder.top.loc.bias',
      'prior.conditional.logVariance.bias',
      'decoder.body.1.bias',
    ]) {
      const variable = named.get(name)!;
      const saved = variable.clone();
      const loss = () => negativeIwaeLoss(model, x, { k: 5, seed: 7 });
      const { value, grads } = tf.variableGrads(loss, [variable]);
      const numeric = numericGradient((t) => {
        variable.assign(t);
        return loss();
      }, saved);
      variable.assign(saved);
      expectClose(grads[variable.name]!, numeric, backendTolerance({ rtol: 2e-2, atol: 2e-3 }));
      tf.dispose([value, saved, ...Object.values(grads)]);
    }
  });

  it('trains through fit', async () => {
    const trained = hierarchicalVAE({
      inputShape: [6],
      hidden: [[5], [4]],
      latentDims: [3, 2],
      seed: 3,
    });
    const before = tf.tidy(() => negativeIwaeLoss(trained, x, { k: 10, seed: 0 }).dataSync()[0]!);
    const result = await fit(trained, x, {
      loss: (batch, { seed }) => negativeIwaeLoss(trained, batch, { k: 5, seed, metrics: true }),
      epochs: 30,
      batchSize: 4,
      learningRate: 0.01,
    });
    const after = tf.tidy(() => negativeIwaeLoss(trained, x, { k: 10, seed: 0 }).dataSync()[0]!);
    expect(after).toBeLessThan(before - 0.5);
    expect(result.history.at(-1)?.metrics?.iwae).toBeLessThan(0);
    trained.dispose();
  });

  it('rejects bad options', () => {
    expect(() => negativeIwaeLoss(model, x, { k: 0 })).toThrow(VaeError);
    expect(() => negativeIwaeLoss(model, x, { k: 2.5 })).toThrow(
      /`k` must be a positive integer, got 2.5/,
    );
    expect(() => negativeIwaeLoss(model, x, { k: 2, seed: Number.NaN })).toThrow(/seed/);
  });
});

describe('iwaeValidationLoss', () => {
  it('is -mean(logLikelihood) with the same samples, chunked, with the bound and ELBO as metrics', async () => {
    const validation = iwaeValidationLoss(model, { k: 30, batchSize: 40 }); // chunks of 10 samples
    const result = await expectNoLeaks(() => validation(x, { seed: 4 }));
    expect(result.loss.isDisposed).toBe(true);
    tf.tidy(() => {
      const { loss, metrics } = validation(x, { seed: 4 });
      const ll = tf.mean(logLikelihood(model, x, { k: 30, batchSize: 40, seed: 4 }));
      expectClose(loss, tf.neg(ll));
      expectClose(metrics.iwae, ll);
      expect(metrics.elbo.dataSync()[0]!).toBeLessThan(ll.dataSync()[0]!);
    });
  });

  it('picks the model by its IWAE bound in fit: validationLoss and metrics per epoch', async () => {
    const trained = hierarchicalVAE({
      inputShape: [6],
      hidden: [[5], [4]],
      latentDims: [3, 2],
      seed: 2,
    });
    const result = await fit(trained, x, {
      loss: (batch, { seed }) => negativeIwaeLoss(trained, batch, { k: 2, seed }),
      validationData: tensorData(x),
      validationLoss: iwaeValidationLoss(trained, { k: 20 }),
      epochs: 2,
      batchSize: 2,
    });
    for (const epoch of result.history) {
      expect(epoch.validationLoss).toBeGreaterThan(0);
      expect(epoch.validationMetrics?.iwae).toBeCloseTo(-epoch.validationLoss!, 4);
      expect(epoch.validationMetrics?.elbo).toBeLessThan(epoch.validationMetrics!.iwae!);
    }
    trained.dispose();
    expect(() => iwaeValidationLoss(model, { k: 0 })).toThrow(/`k` must be a positive integer/);
  });
});
