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

// The PixelCNN++ pixel: two RGB pixels per example ([1, 2, 3] event), K = 2
// components, one latent. The body is one Linear layer, so z -> log P(x | z) is
// written out in float64 below and compared with the float32 decoder.
const EVENT = [1, 2, 3];
const PIXELS = 2;
const K = 2;

function decoder(seed: number, bins = 256, pixels = PIXELS): DiscretizedLogisticMixtureDecoder {
  return new DiscretizedLogisticMixtureDecoder({
    body: new Linear({ inFeatures: 1, outFeatures: pixels * 10 * K, seed }),
    eventShape: [1, pixels, 3],
    components: K,
    bins,
    coupled: true,
  });
}

const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));

/** P(level x) of one discretized logistic on `bins` levels, float64. */
function mass(x: number, [loc, logScale]: [number, number], bins: number): number {
  const h = 0.5 / (bins - 1);
  const scale = Math.exp(Math.min(7, Math.max(-7, logScale)));
  const upper = sigmoid((x + h - loc) / scale);
  const lower = sigmoid((x - h - loc) / scale);
  return x <= h ? upper : x >= 1 - h ? 1 - lower : upper - lower;
}

/** log P(rgb) of one pixel from its 10 K body outputs, float64. */
function pixelLogMass(out: number[], rgb: number[], bins: number): number {
  const at = (block: number, c: number, k: number) => out[K + block * 3 * K + c * K + k]!;
  const logits = out.slice(0, K);
  const max = Math.max(...logits);
  const normalizer = logits.reduce((s, l) => s + Math.exp(l - max), 0);
  let total = 0;
  for (let k = 0; k < K; k++) {
    const [alpha, beta, gamma] = [0, 1, 2].map((c) => Math.tanh(at(2, c, k)));
    const [r, g, b] = rgb as [number, number, number];
    const locs = [at(0, 0, k), at(0, 1, k) + alpha! * r, at(0, 2, k) + beta! * r + gamma! * g];
    const p = [r, g, b].reduce((acc, x, c) => acc * mass(x, [locs[c]!, at(1, c, k)], bins), 1);
    total += (Math.exp(logits[k]! - max) / normalizer) * p;
  }
  return Math.log(total);
}

/** log P(x | z) for each z, float64, from the Linear layer's weights. */
function reference(weight: number[], bias: number[], x: number[][]): number[] {
  return Z.map((zi, n) => {
    const out = bias.map((b, j) => b + zi * weight[j]!); // [PIXELS, 10 K] row-major
    let sum = 0;
    for (let p = 0; p < PIXELS; p++) {
      const rgb = x[n]!.slice(p * 3, p * 3 + 3);
      sum += pixelLogMass(out.slice(p * 10 * K, (p + 1) * 10 * K), rgb, 256);
    }
    return sum;
  });
}

const Z = [-1.5, 0, 0.7, 2];
// Lowest and highest levels, and levels in between, in both pixels.
const X = [
  [0, 1, 128 / 255, 3 / 255, 250 / 255, 1],
  [0.5 + 0.5 / 255, 0, 17 / 255, 1, 1, 1],
  [0, 0, 0, 40 / 255, 41 / 255, 42 / 255],
  [200 / 255, 100 / 255, 1, 0, 128 / 255, 127 / 255],
];

/** Every colour of one pixel on `bins` levels: [bins^3, 1, 1, 3], R slowest. */
function allColours(bins: number): tf.Tensor {
  const values: number[] = [];
  for (let r = 0; r < bins; r++) {
    for (let g = 0; g < bins; g++) {
      for (let b = 0; b < bins; b++) values.push(r, g, b);
    }
  }
  return tf.div(tf.tensor(values, [bins ** 3, 1, 1, 3]), bins - 1);
}

describe('DiscretizedLogisticMixtureDecoder, coupled (PixelCNN++ pixels)', () => {
  it('log P(x | z) matches the float64 closed form, tails and channel coupling included', async () => {
    const model = decoder(1);
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

  it('the probabilities of all bins^3 colours of a pixel sum to 1 (bins = 16)', () => {
    const bins = 16;
    const model = decoder(3, bins, 1);
    tf.tidy(() => {
      for (const zi of [-2, 0.3, 1.7]) {
        const colours = allColours(bins);
        const p = model.call(tf.fill([bins ** 3, 1], zi));
        expectClose(tf.sum(tf.exp(p.logProb(colours))), 1, { rtol: 1e-4 });
      }
    });
    model.dispose();
  });

  it('given R and G, the 256 levels of B sum to P(R, G); given R, the 256 x 256 of G, B to P(R)', () => {
    const model = decoder(4, 256, 1);
    const layer = model.body as Linear;
    const out = Array.from(
      tf.tidy(() => tf.add(tf.mul(layer.weight, 0.6), layer.bias!)).dataSync(),
    );
    const [r, g] = [90 / 255, 200 / 255];
    tf.tidy(() => {
      const levels = tf.div(tf.range(0, 256, 1, 'float32'), 255);
      const column = (v: number) => tf.fill([256, 1], v);
      const rgb = tf.reshape(
        tf.concat([column(r), column(g), tf.reshape(levels, [256, 1])], 1),
        [256, 1, 1, 3],
      );
      const p = model.call(tf.fill([256, 1], 0.6));
      // P(R = r, G = g) = sum_k w_k P_k(r) P_k(g | r), float64, from the same outputs.
      const at = (block: number, c: number, k: number) => out[K + block * 3 * K + c * K + k]!;
      const logits = out.slice(0, K);
      const normalizer = logits.reduce((s, l) => s + Math.exp(l), 0);
      let expected = 0;
      let marginalR = 0;
      for (let k = 0; k < K; k++) {
        const w = Math.exp(logits[k]!) / normalizer;
        const alpha = Math.tanh(at(2, 0, k));
        const pr = mass(r, [at(0, 0, k), at(1, 0, k)], 256);
        expected += w * pr * mass(g, [at(0, 1, k) + alpha * r, at(1, 1, k)], 256);
        marginalR += w * pr;
      }
      expectClose(tf.sum(tf.exp(p.logProb(rgb))), expected, { rtol: 1e-3 });
      // Every (G, B) with R fixed: 65,536 colours.
      const gb = tf.reshape(
        tf.stack(
          [
            tf.fill([256, 256], r),
            tf.tile(tf.reshape(levels, [256, 1]), [1, 256]),
            tf.tile(tf.reshape(levels, [1, 256]), [256, 1]),
          ],
          -1,
        ),
        [65_536, 1, 1, 3],
      );
      const q = model.call(tf.fill([65_536, 1], 0.6));
      expectClose(tf.sum(tf.exp(q.logProb(gb))), marginalR, { rtol: 1e-3 });
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
    expectClose(
      grads[layer.weight.name]!,
      hostNumericGradient((w) => total(w, bias), weight),
      { rtol: 2e-3, atol: 2e-3 },
    );
    expectClose(
      grads[layer.bias!.name]!,
      hostNumericGradient((b) => total(weight, b), bias),
      { rtol: 2e-3, atol: 2e-3 },
    );
    tf.dispose(grads);
    model.dispose();
  });

  it('samples colours on the grid, seeded, with the exact mean of each channel (Monte Carlo, bins = 16)', async () => {
    const bins = 16;
    const model = decoder(7, bins, 1);
    const n = 4000;
    const at = tf.fill([1, 1], 0.4);
    await expectNoLeaks(() => {
      const p = model.call(at);
      try {
        return p.sample([3], 1);
      } finally {
        p.dispose();
      }
    });
    at.dispose();
    tf.tidy(() => {
      const p = model.call(tf.fill([1, 1], 0.4));
      const draws = p.sample([n], 11); // [n, 1, 1, 1, 3]
      expect(draws.shape).toEqual([n, 1, 1, 1, 3]);
      const values = Array.from(draws.dataSync());
      expect(
        values.every(
          (v) => v >= 0 && v <= 1 && Math.abs(v * (bins - 1) - Math.round(v * (bins - 1))) < 1e-3,
        ),
      ).toBe(true);
      expectClose(p.sample([n], 11), values);
      expect(Array.from(p.sample([n], 12).dataSync())).not.toEqual(values);
      // The exact mean of each channel from the probabilities of all 16^3 colours.
      const colours = allColours(bins);
      const all = model.call(tf.fill([bins ** 3, 1], 0.4));
      const probabilities = tf.reshape(tf.exp(all.logProb(colours)), [bins ** 3, 1]);
      const exact = tf.sum(tf.mul(probabilities, tf.reshape(colours, [bins ** 3, 3])), 0);
      const exactMeans = Array.from(exact.dataSync());
      for (let c = 0; c < 3; c++) {
        const channel = values.filter((_, i) => i % 3 === c);
        const mean = channel.reduce((a, b) => a + b, 0) / n;
        const sd = Math.sqrt(channel.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
        expect(Math.abs(mean - exactMeans[c]!)).toBeLessThan((4 * sd) / Math.sqrt(n) + 1e-6);
      }
      // The plug-in mean: R exact; G and B within the documented approximation.
      const plugIn = Array.from(p.mean().dataSync());
      expect(Math.abs(plugIn[0]! - exactMeans[0]!)).toBeLessThan(1e-4);
      for (const c of [1, 2]) expect(Math.abs(plugIn[c]! - exactMeans[c]!)).toBeLessThan(0.05);
    });
    model.dispose();
  });

  it('couples the channels: drawn G follows R where alpha is large', () => {
    // One component, R spread over [0, 1], G = R (alpha = tanh(20) ~ 1, tiny scale).
    const body = new Linear({ inFeatures: 1, outFeatures: 10, seed: 1 });
    body.weight.assign(tf.zeros([1, 10]));
    // logit, loc R G B, logScale R G B, coefficients alpha beta gamma.
    body.bias!.assign(tf.tensor1d([0, 0.5, 0, 0.5, -2, -7, 0, 20, 0, 0]));
    const model = new DiscretizedLogisticMixtureDecoder({
      body,
      eventShape: [1, 1, 3],
      components: 1,
      coupled: true,
    });
    tf.tidy(() => {
      const draws = model
        .call(tf.zeros([1, 1]))
        .sample([500], 3)
        .dataSync();
      for (let i = 0; i < 500; i++) {
        expect(Math.abs(draws[3 * i + 1]! - draws[3 * i]!)).toBeLessThan(0.01);
      }
      const spread = new Set(Array.from({ length: 500 }, (_, i) => draws[3 * i]));
      expect(spread.size).toBeGreaterThan(50);
    });
    model.dispose();
  });

  it('saves and loads with a VAE: the same log-likelihood after the round trip', async () => {
    const vae = new VAE({
      encoder: new GaussianEncoder({
        body: new Linear({ inFeatures: 6, outFeatures: 4, seed: 6 }),
        features: 4,
        latentDim: 1,
        seed: 7,
      }),
      decoder: decoder(8),
      prior: new StandardNormalPrior({ latentDim: 1 }),
    });
    const artifacts = await modelToArtifacts(vae);
    const loaded = await loadVAE(tf.io.fromMemory(artifacts));
    expect((loaded.decoder as DiscretizedLogisticMixtureDecoder).coupled).toBe(true);
    tf.tidy(() => {
      const z = tf.tensor2d(Z, [4, 1]);
      const x = tf.tensor(X.flat(), [4, ...EVENT]);
      expectClose(loaded.decode(z).logProb(x), vae.decode(z).logProb(x), { rtol: 0, atol: 0 });
    });
    vae.dispose();
    loaded.dispose();
  });

  it('rejects coupling for an event shape that does not end in 3 colour channels', () => {
    const body = new Linear({ inFeatures: 1, outFeatures: 20, seed: 1 });
    expect(
      () => new DiscretizedLogisticMixtureDecoder({ body, eventShape: [2, 1], coupled: true }),
    ).toThrow(VaeError);
    expect(
      () => new DiscretizedLogisticMixtureDecoder({ body, eventShape: [2, 1], coupled: true }),
    ).toThrow(/`coupled` needs RGB pixels, an `eventShape` ending in 3; got \[2, 1\]/);
    body.dispose();
  });
});
