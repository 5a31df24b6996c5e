import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, hostNumericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  DiscretizedLogisticMixtureDecoder,
  GaussianEncoder,
  Linear,
  loadVAE,
  modelToArtifacts,
  StandardNormalPrior,
  VAE,
  VaeError,
} from '../src/index.js';

// Three values per example ([1, 3, 1] event), K = 2 components, one latent: the
// body is one Linear layer, so the whole map z -> log P(x | z) can be written
// out in float64 below and compared with the float32 decoder.
const EVENT = [1, 3, 1];
const VALUES = 3;
const K = 2;
const BINS = 256;

function decoder(seed = 1): DiscretizedLogisticMixtureDecoder {
  return new DiscretizedLogisticMixtureDecoder({
    body: new Linear({ inFeatures: 1, outFeatures: VALUES * 3 * K, seed }),
    eventShape: EVENT,
    components: K,
  });
}

const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));

/** log P(x) of one value under a mixture of discretized logistics, in float64. */
function logMass(
  x: number,
  { logits, loc, logScale }: { logits: number[]; loc: number[]; logScale: number[] },
): number {
  const h = 0.5 / (BINS - 1);
  const max = Math.max(...logits);
  const logNormalizer = max + Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0));
  let total = 0;
  for (let k = 0; k < logits.length; k++) {
    const scale = Math.exp(Math.min(7, Math.max(-7, logScale[k]!)));
    const upper = sigmoid((x + h - loc[k]!) / scale);
    const lower = sigmoid((x - h - loc[k]!) / scale);
    const mass = x <= h ? upper : x >= 1 - h ? 1 - lower : upper - lower;
    total += Math.exp(logits[k]! - logNormalizer) * mass;
  }
  return Math.log(total);
}

/** log P(x | z) for each z, in float64, from the Linear layer's weights. */
function reference(weight: number[], bias: number[], x: number[][]): number[] {
  return Z.map((zi, n) => {
    const out = bias.map((b, j) => b + zi * weight[j]!); // [VALUES, 3, K] row-major
    let sum = 0;
    for (let v = 0; v < VALUES; v++) {
      const at = (p: number, k: number) => out[v * 3 * K + p * K + k]!;
      const pick = (p: number) => Array.from({ length: K }, (_, k) => at(p, k));
      sum += logMass(x[n]![v]!, { logits: pick(0), loc: pick(1), logScale: pick(2) });
    }
    return sum;
  });
}

/** One value per example: the probabilities of its 256 levels are easy to list. */
function single(seed: number): DiscretizedLogisticMixtureDecoder {
  return new DiscretizedLogisticMixtureDecoder({
    body: new Linear({ inFeatures: 1, outFeatures: 3 * K, seed }),
    eventShape: [1],
    components: K,
  });
}

const LEVELS = () => tf.div(tf.range(0, BINS, 1, 'float32'), BINS - 1);

const Z = [-1.5, 0, 0.7, 2];
// The lowest level, the highest, and levels in between.
const X = [
  [0, 1, 128 / 255],
  [3 / 255, 250 / 255, 1],
  [0.5 + 0.5 / 255, 0, 17 / 255],
  [1, 1, 1],
];

describe('DiscretizedLogisticMixtureDecoder', () => {
  it('log P(x | z) matches the float64 closed form, with the tail masses at 0 and 1', async () => {
    const model = decoder();
    const layer = model.body as Linear;
    const z = tf.tensor2d(Z, [4, 1]);
    const x = tf.tensor(X.flat(), [4, ...EVENT]);
    const logProbability = () => {
      const p = model.call(z);
      try {
        return p.logProb(x);
      } finally {
        p.dispose();
      }
    };
    await expectNoLeaks(logProbability);
    const value = logProbability();
    expect(value.shape).toEqual([4]);
    const expected = reference(
      Array.from(layer.weight.dataSync()),
      Array.from(layer.bias!.dataSync()),
      X,
    );
    expectClose(value, expected, { rtol: 1e-4, atol: 1e-4 });
    tf.dispose([value, z, x]);
    model.dispose();
  });

  it('the probabilities of the 256 levels sum to 1', () => {
    const model = single(3);
    tf.tidy(() => {
      const p = model.call(tf.fill([BINS, 1], 0.3));
      const probabilities = tf.exp(p.logProb(tf.reshape(LEVELS(), [BINS, 1])));
      expectClose(tf.sum(probabilities), 1, { rtol: 1e-4 });
    });
    model.dispose();
  });

  it('gradients of log P(x | z) match float64 finite differences of the closed form', () => {
    const model = decoder(2);
    const layer = model.body as Linear;
    const weight = Array.from(layer.weight.dataSync());
    const bias = Array.from(layer.bias!.dataSync());
    const total = (w: number[], b: number[]) => reference(w, b, X).reduce((s, v) => s + v, 0);
    const grads = tf.tidy(() => {
      const z = tf.tensor2d(Z, [4, 1]);
      const x = tf.tensor(X.flat(), [4, ...EVENT]);
      const { grads } = tf.variableGrads(
        () => tf.sum(model.call(z).logProb(x)) as tf.Scalar,
        model.trainableVariables,
      );
      return grads;
    });
    const weightName = layer.weight.name;
    const biasName = layer.bias!.name;
    expectClose(
      grads[weightName]!,
      hostNumericGradient((w) => total(w, bias), weight),
      { rtol: 2e-3, atol: 2e-3 },
    );
    expectClose(
      grads[biasName]!,
      hostNumericGradient((b) => total(weight, b), bias),
      { rtol: 2e-3, atol: 2e-3 },
    );
    tf.dispose(grads);
    model.dispose();
  });

  it('mean(z) is the expectation over the 256 levels', async () => {
    const model = single(5);
    const z = tf.tensor2d([-1, 0.5, 2], [3, 1]);
    await expectNoLeaks(() => model.mean(z));
    const mean = model.mean(z);
    expect(mean.shape).toEqual([3, 1]);
    const expected = [-1, 0.5, 2].map((zi) =>
      tf.tidy(() => {
        const p = model.call(tf.fill([BINS, 1], zi));
        const probabilities = tf.exp(p.logProb(tf.reshape(LEVELS(), [BINS, 1])));
        return tf.sum(tf.mul(probabilities, LEVELS())).dataSync()[0]!;
      }),
    );
    expectClose(mean, expected, { rtol: 1e-4, atol: 1e-5 });
    tf.dispose([mean, z]);
    model.dispose();
  });

  it('samples levels on the grid, seeded, with the mean of the distribution (Monte Carlo)', () => {
    const model = single(7);
    tf.tidy(() => {
      const p = model.call(tf.fill([1, 1], 0.4));
      const draws = p.sample([4000], 11); // [4000, 1, 1]
      expect(draws.shape).toEqual([4000, 1, 1]);
      const values = Array.from(draws.dataSync());
      expect(
        values.every((v) => v >= 0 && v <= 1 && Math.abs(v * 255 - Math.round(v * 255)) < 1e-3),
      ).toBe(true);
      expectClose(p.sample([4000], 11), values);
      expect(Array.from(p.sample([4000], 12).dataSync())).not.toEqual(values);
      // The mean of 4000 draws is within 4 standard errors of the mean.
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
      const exact = p.mean().dataSync()[0]!;
      expect(Math.abs(mean - exact)).toBeLessThan((4 * sd) / Math.sqrt(values.length) + 1e-6);
    });
    model.dispose();
  });

  it('samples with one component (a plain discretized logistic), seeded', () => {
    const model = new DiscretizedLogisticMixtureDecoder({
      body: new Linear({ inFeatures: 1, outFeatures: 3, seed: 4 }),
      eventShape: [1],
      components: 1,
    });
    tf.tidy(() => {
      const p = model.call(tf.fill([2, 1], 0.4));
      const draws = p.sample([500], 5);
      expect(draws.shape).toEqual([500, 2, 1]);
      expectClose(p.sample([500], 5), draws);
      const values = Array.from(draws.dataSync());
      expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(new Set(values).size).toBeGreaterThan(1);
    });
    model.dispose();
  });

  it('saves and loads with a VAE: the same log-likelihood after the round trip', async () => {
    const vae = new VAE({
      encoder: new GaussianEncoder({
        body: new Linear({ inFeatures: 3, outFeatures: 4, seed: 6 }),
        features: 4,
        latentDim: 1,
        seed: 7,
      }),
      decoder: decoder(8),
      prior: new StandardNormalPrior({ latentDim: 1 }),
    });
    const artifacts = await modelToArtifacts(vae);
    const loaded = await loadVAE(tf.io.fromMemory(artifacts));
    expect(loaded.decoder).toBeInstanceOf(DiscretizedLogisticMixtureDecoder);
    expect((loaded.decoder as DiscretizedLogisticMixtureDecoder).components).toBe(K);
    tf.tidy(() => {
      const z = tf.tensor2d(Z, [4, 1]);
      const x = tf.tensor(X.flat(), [4, ...EVENT]);
      expectClose(loaded.decode(z).logProb(x), vae.decode(z).logProb(x), { rtol: 0, atol: 0 });
    });
    vae.dispose();
    loaded.dispose();
  });

  it('rejects a bad number of components, naming it', () => {
    const body = new Linear({ inFeatures: 1, outFeatures: 3, seed: 1 });
    expect(
      () => new DiscretizedLogisticMixtureDecoder({ body, eventShape: [1], components: 0 }),
    ).toThrow(VaeError);
    expect(
      () => new DiscretizedLogisticMixtureDecoder({ body, eventShape: [1], components: 1.5 }),
    ).toThrow(/`components` must be an integer in \[1, 64\], got 1.5/);
    body.dispose();
  });
});
