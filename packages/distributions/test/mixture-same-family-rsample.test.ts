// MixtureSameFamily: cdf against torch, the Monte Carlo entropy (seeded, configurable), and the
// implicit reparameterization through the distributional transform: per draw against finite
// differences of the inverse CDF in float64 (1-D), and in expectation against closed forms (2-D).
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  Categorical,
  Gamma,
  Independent,
  Laplace,
  MixtureSameFamily,
  Normal,
} from '../src/index.js';
import { expectVaeError, values } from './gamma-family-support.js';
import { checkSeeds } from './helpers/properties.js';
import { checkReferenceCase, discreteCase } from './helpers/reference.js';

const weights = [0.3, 0.7];
const locs = [-1, 1.5];
const scales = [0.6, 1.2];

function normalCdf(z: number): number {
  // Abramowitz-Stegun 7.1.26 is too coarse; use the complementary error function series.
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** erfc in float64 (Numerical Recipes' erfcc, relative error < 1.2e-7 is not enough: use a continued fraction). */
function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 3) {
    // Series for erf: 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1)).
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
      if (Math.abs(term) < 1e-17) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction (Lentz) for large x.
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    d = x + a * d;
    d = 1 / d;
    c = x + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (f * Math.sqrt(Math.PI));
}

function mixtureCdf(x: number, params: { w: number[]; mu: number[]; s: number[] }): number {
  return params.w.reduce((sum, w, k) => sum + w * normalCdf((x - params.mu[k]!) / params.s[k]!), 0);
}

/** x with F(x) = u by bisection in float64. */
function inverseCdf(u: number, params: { w: number[]; mu: number[]; s: number[] }): number {
  let low = -30;
  let high = 30;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (low + high);
    if (mixtureCdf(mid, params) < u) low = mid;
    else high = mid;
  }
  return 0.5 * (low + high);
}

function softmax(logits: number[]): number[] {
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - max));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

describe('MixtureSameFamily cdf and entropy', () => {
  it('matches torch: cdf, log_prob, mean and variance of a batch of normal mixtures', async () => {
    const make = (p: Record<string, tf.Tensor>) =>
      new MixtureSameFamily({
        mixture: new Categorical({ probs: p.mixture_probs! }),
        components: new Normal({ loc: p.loc!, scale: p.scale! }),
      });
    // The factory's Categorical and Normal borrow float32 params: nothing for them to free.
    const fields = await checkReferenceCase(discreteCase('MixtureSameFamilyNormal'), make, {
      tolerance: { rtol: 1e-5, atol: 1e-6 },
    });
    expect(fields).toEqual(['log_prob', 'mean', 'variance', 'cdf']);
  });

  it('estimates the entropy by seeded Monte Carlo, within 5 standard errors of quadrature', async () => {
    await expectNoLeaks(() => {
      const mixture = new Categorical({ probs: weights });
      const components = new Normal({ loc: locs, scale: scales });
      const d = new MixtureSameFamily({ mixture, components, entropySampleCount: 20000 });
      const params = { w: weights, mu: locs, s: scales };
      // -integral p log p by the trapezoid rule on [-12, 12] in float64.
      let exact = 0;
      const h = 1e-3;
      for (let x = -12; x <= 12; x += h) {
        const density = weights.reduce(
          (sum, w, k) =>
            sum +
            (w * Math.exp(-0.5 * ((x - locs[k]!) / scales[k]!) ** 2)) /
              (scales[k]! * Math.sqrt(2 * Math.PI)),
          0,
        );
        if (density > 0) exact -= density * Math.log(density) * h;
      }
      const estimate = d.entropy();
      const again = d.entropy();
      const other = d.entropy({ seed: 1 });
      const small = d.entropy({ sampleCount: 100, seed: 0 });
      expect(values(again)).toEqual(values(estimate)); // default seed 0: repeatable
      expect(values(other)[0]).not.toBe(values(estimate)[0]);
      expect(values(small)[0]).not.toBe(values(estimate)[0]);
      // Standard error from the spread of log p over the same 20000 draws.
      const x = d.sample([20000], 0);
      const logp = d.logProb(x);
      const sd = tf.tidy(() => Math.sqrt(tf.moments(logp).variance.dataSync()[0]!));
      expect(Math.abs(values(estimate)[0]! - exact)).toBeLessThanOrEqual(
        (5 * sd) / Math.sqrt(20000),
      );
      expect(mixtureCdf(0, params)).toBeGreaterThan(0); // the helper itself is sane
      tf.dispose([estimate, again, other, small, x, logp]);
      for (const dist of [d, mixture, components]) dist.dispose();
    });
  });

  it('rejects a bad sample count or seed and has no cdf for vector events', () => {
    const mixture = new Categorical({ probs: [0.5, 0.5] });
    const components = new Normal({ loc: [0, 1], scale: 1 });
    expectVaeError(
      () => new MixtureSameFamily({ mixture, components, entropySampleCount: 0 }),
      'INVALID_ARGUMENT',
      /MixtureSameFamily: `sampleCount` must be a positive integer, got 0/,
    );
    const d = new MixtureSameFamily({ mixture, components });
    expectVaeError(
      () => d.entropy({ sampleCount: 2.5 }),
      'INVALID_ARGUMENT',
      /MixtureSameFamily\.entropy: `sampleCount`/,
    );
    expectVaeError(
      () => d.entropy({ seed: Number.NaN }),
      'INVALID_ARGUMENT',
      /MixtureSameFamily\.entropy: `seed` must be a finite number/,
    );
    const base = new Normal({
      loc: [
        [0, 1],
        [2, 3],
      ],
      scale: 1,
    });
    const vector = new MixtureSameFamily({ mixture, components: new Independent(base, 1) });
    expectVaeError(() => vector.cdf([0, 0]), 'UNSUPPORTED', /MixtureSameFamily\.cdf/);
    for (const dist of [d, vector, mixture, components, base]) dist.dispose();
  });
});

describe('MixtureSameFamily.rsample (implicit reparameterization)', () => {
  it('gives each draw the gradient of the inverse CDF at fixed u (1-D normal mixture, float64 check)', () => {
    const logits = [Math.log(weights[0]!), Math.log(weights[1]!)];
    const n = 6;
    const seed = 4;
    const coefficients = tf.linspace(0.5, 1.5, n);
    const loc = tf.tensor1d(locs);
    const scale = tf.tensor1d(scales);
    const logitTensor = tf.tensor1d(logits);
    const build = (l: tf.Tensor, s: tf.Tensor, w: tf.Tensor) =>
      new MixtureSameFamily({
        mixture: new Categorical({ logits: w }),
        components: new Normal({ loc: l, scale: s }),
      });
    const objective = (l: tf.Tensor, s: tf.Tensor, w: tf.Tensor) =>
      tf.sum(tf.mul(build(l, s, w).rsample([n], seed), coefficients)) as tf.Scalar;
    const grads = tf.grads(objective)([loc, scale, logitTensor]);
    const draws = values(tf.tidy(() => build(loc, scale, logitTensor).sample([n], seed)));
    const c = values(coefficients);
    const base = { w: weights, mu: locs, s: scales };
    // d x_i / d theta at fixed u_i = F(x_i), by central differences of F^-1 in float64.
    const numeric = (perturb: (h: number) => { w: number[]; mu: number[]; s: number[] }) => {
      const h = 1e-5;
      return draws.reduce((sum, x, i) => {
        const u = mixtureCdf(x, base);
        return sum + (c[i]! * (inverseCdf(u, perturb(h)) - inverseCdf(u, perturb(-h)))) / (2 * h);
      }, 0);
    };
    const expectedLoc = [0, 1].map((k) =>
      numeric((h) => ({ ...base, mu: locs.map((m, j) => (j === k ? m + h : m)) })),
    );
    const expectedScale = [0, 1].map((k) =>
      numeric((h) => ({ ...base, s: scales.map((m, j) => (j === k ? m + h : m)) })),
    );
    const expectedLogits = [0, 1].map((k) =>
      numeric((h) => ({ ...base, w: softmax(logits.map((l, j) => (j === k ? l + h : l))) })),
    );
    expectClose(grads[0]!, expectedLoc, { rtol: 2e-3, atol: 2e-4 });
    expectClose(grads[1]!, expectedScale, { rtol: 2e-3, atol: 2e-4 });
    expectClose(grads[2]!, expectedLogits, { rtol: 2e-3, atol: 2e-4 });
    // The values are the draws of sample() with the same seed.
    const drawn = tf.tidy(() => build(loc, scale, logitTensor).rsample([n], seed));
    expect(values(drawn)).toEqual(draws);
    tf.dispose([...grads, coefficients, loc, scale, logitTensor, drawn]);
  });

  it('has unbiased gradients for a diagonal (Independent) mixture: d E[x1 x2] and d E[|x|^2] in closed form', () => {
    const loc = tf.tensor2d([
      [-1, 0.5],
      [2, -1],
    ]);
    const scale = tf.tensor2d([
      [0.5, 1],
      [1, 0.7],
    ]);
    const logits = tf.tensor1d([0.2, -0.3]);
    const w = softmax([0.2, -0.3]);
    const mu = loc.arraySync() as number[][];
    const s = scale.arraySync() as number[][];
    const build = (l: tf.Tensor, sc: tf.Tensor, lg: tf.Tensor) =>
      new MixtureSameFamily({
        mixture: new Categorical({ logits: lg }),
        components: new Independent(new Normal({ loc: l, scale: sc }), 1),
      });
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    /** Mean and standard error across seeds of the gradient of mean(f(x)) over 1000 draws. */
    const estimate = (f: (x: tf.Tensor) => tf.Tensor) => {
      const runs = seeds.map((seed) => {
        const g = tf.grads(
          (l: tf.Tensor, sc: tf.Tensor, lg: tf.Tensor) =>
            tf.mean(f(build(l, sc, lg).rsample([1000], seed))) as tf.Scalar,
        )([loc, scale, logits]);
        const flat = g.flatMap((t) => values(t));
        tf.dispose(g);
        return flat;
      });
      return runs[0]!.map((_, i) => {
        const column = runs.map((r) => r[i]!);
        const mean = column.reduce((a, b) => a + b, 0) / column.length;
        const sd = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / (column.length - 1));
        return { mean, se: sd / Math.sqrt(column.length) };
      });
    };
    const check = (got: { mean: number; se: number }[], expected: number[]) => {
      got.forEach(({ mean, se }, i) => {
        expect(
          Math.abs(mean - expected[i]!),
          `entry ${i}: ${mean} vs ${expected[i]}`,
        ).toBeLessThanOrEqual(5 * se + 2e-3);
      });
    };
    // E[x1 x2] = sum_k w_k mu_k1 mu_k2 (diagonal components).
    const product = (x: tf.Tensor) =>
      tf.mul(tf.slice(x, [0, 0], [-1, 1]), tf.slice(x, [0, 1], [-1, 1]));
    const m = [0, 1].map((k) => mu[k]![0]! * mu[k]![1]!);
    const mean = w[0]! * m[0]! + w[1]! * m[1]!;
    check(estimate(product), [
      ...[0, 1].flatMap((k) => [w[k]! * mu[k]![1]!, w[k]! * mu[k]![0]!]), // d / d loc
      0,
      0,
      0,
      0, // d / d scale
      ...[0, 1].map((k) => w[k]! * (m[k]! - mean)), // d / d logits
    ]);
    // E[x1^2 + x2^2] = sum_k w_k sum_j (mu_kj^2 + s_kj^2).
    const squares = (x: tf.Tensor) => tf.sum(tf.square(x), -1);
    const second = [0, 1].map((k) =>
      [0, 1].reduce((acc, j) => acc + mu[k]![j]! ** 2 + s[k]![j]! ** 2, 0),
    );
    const total = w[0]! * second[0]! + w[1]! * second[1]!;
    check(estimate(squares), [
      ...[0, 1].flatMap((k) => [0, 1].map((j) => 2 * w[k]! * mu[k]![j]!)),
      ...[0, 1].flatMap((k) => [0, 1].map((j) => 2 * w[k]! * s[k]![j]!)),
      ...[0, 1].map((k) => w[k]! * (second[k]! - total)),
    ]);
    tf.dispose([loc, scale, logits]);
  });

  it('exists for univariate components with a cdf (and Independent of them) only; seeds repeat', async () => {
    await expectNoLeaks(() => {
      const mixture = new Categorical({ probs: [0.4, 0.6] });
      const laplace = new Laplace({ loc: [0, 3], scale: [1, 0.5] });
      const gamma = new Gamma({ concentration: [1, 2], rate: 1 });
      const withCdf = new MixtureSameFamily({ mixture, components: laplace });
      const withoutCdf = new MixtureSameFamily({ mixture, components: gamma });
      expect(withCdf.hasRsample).toBe(true);
      expect(withoutCdf.hasRsample).toBe(false);
      expectVaeError(
        () => withoutCdf.rsample(),
        'NOT_REPARAMETERIZABLE',
        /MixtureSameFamily\.rsample/,
      );
      checkSeeds(withCdf, { reparameterized: true });
      for (const dist of [mixture, laplace, gamma, withCdf, withoutCdf]) dist.dispose();
    });
  });
});
