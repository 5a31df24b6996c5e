// Monte Carlo and gradient checks shared by the family tests. Every Monte Carlo check uses a
// fixed seed and a tolerance of `sigmas` standard errors estimated from the same draws.
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, numericGradient } from '@vae/test-kit';
import { expect } from 'vitest';
import type { Distribution } from '../../src/distribution.js';
import { klDivergence } from '../../src/kl-registry.js';

/** Settings of the Monte Carlo checks. */
export interface MonteCarloOptions {
  /** Number of draws (default 20000). */
  n?: number;
  /** Seed of the draws (default 1). */
  seed?: number;
  /** Allowed error in standard errors (default 5: a false alarm about once in 1.7 million). */
  sigmas?: number;
  /** Extra absolute slack for float32 rounding (default 1e-4). */
  atol?: number;
  /** Extra relative slack for float32 summation of many draws (default 1e-3). */
  rtol?: number;
}

/**
 * Asserts that the mean over axis 0 of `draws` `[n, ...]` matches `expected` `[...]` within
 * `sigmas` standard errors (from the draws) plus `atol + rtol * |expected|`.
 */
export function expectMonteCarloMean(
  draws: tf.Tensor,
  expected: tf.Tensor,
  options: MonteCarloOptions = {},
): void {
  const { sigmas = 5, atol = 1e-4, rtol = 1e-3 } = options;
  const n = draws.shape[0]!;
  const [mean, standardError] = tf.tidy(() => {
    const moments = tf.moments(draws, 0);
    return [moments.mean, tf.sqrt(tf.div(moments.variance, n))];
  });
  const m = mean.dataSync();
  const se = standardError.dataSync();
  const e = tf.broadcastTo(expected, mean.shape);
  const want = e.dataSync();
  m.forEach((value, i) => {
    const bound = sigmas * se[i]! + atol + rtol * Math.abs(want[i]!);
    if (!(Math.abs(value - want[i]!) <= bound)) {
      expect.fail(`index ${i}: Monte Carlo ${value}, expected ${want[i]} (|diff| > ${bound})`);
    }
  });
  tf.dispose([mean, standardError, e]);
}

/** Sample mean and variance agree with `mean` and `variance` (over `[...batch, ...event]`). */
export function checkSampleMoments(d: Distribution, options: MonteCarloOptions = {}): void {
  const { n = 20000, seed = 1 } = options;
  const x = d.sample([n], seed);
  const mean = d.mean();
  const variance = d.variance();
  expectMonteCarloMean(x, mean, options);
  const squared = tf.tidy(() => tf.square(tf.sub(x, mean)));
  expectMonteCarloMean(squared, variance, options);
  tf.dispose([x, mean, variance, squared]);
}

/** entropy() agrees with -mean(logProb(samples)). */
export function checkEntropyMonteCarlo(d: Distribution, options: MonteCarloOptions = {}): void {
  const { n = 20000, seed = 2 } = options;
  const x = d.sample([n], seed);
  const negLogP = tf.tidy(() => tf.neg(d.logProb(x)));
  const entropy = d.entropy();
  expectMonteCarloMean(negLogP, entropy, options);
  tf.dispose([x, negLogP, entropy]);
}

/** klDivergence(p, q) agrees with mean(logProb_p(x) - logProb_q(x)), x ~ p. */
export function checkKlMonteCarlo(
  p: Distribution,
  q: Distribution,
  options: MonteCarloOptions = {},
): void {
  const { n = 20000, seed = 3 } = options;
  const x = p.sample([n], seed);
  const ratio = tf.tidy(() => tf.sub(p.logProb(x), q.logProb(x)));
  const kl = klDivergence(p, q);
  expectMonteCarloMean(ratio, kl, options);
  tf.dispose([x, ratio, kl]);
}

/** KL(p, p) = 0 and KL(p, q) >= 0 elementwise. */
export function checkKlBasics(p: Distribution, q: Distribution, atol = 1e-5): void {
  const self = klDivergence(p, p);
  const pq = klDivergence(p, q);
  expectClose(self, new Array<number>(self.size).fill(0), { atol });
  for (const value of pq.dataSync()) expect(value).toBeGreaterThanOrEqual(-atol);
  tf.dispose([self, pq]);
}

/**
 * Gradient of sum(rsample * weights) with respect to one parameter, by autodiff and by central
 * differences with the same seed (so the noise is identical on every evaluation).
 */
export function checkRsampleGradient(
  make: (param: tf.Tensor) => Distribution,
  param: tf.Tensor,
  options: {
    seed?: number;
    sampleShape?: number[];
    step?: number;
    rtol?: number;
    atol?: number;
  } = {},
): void {
  const { seed = 7, sampleShape = [5], step = 1e-2, rtol = 1e-2, atol = 1e-3 } = options;
  const f = (x: tf.Tensor): tf.Scalar =>
    tf.tidy(() => {
      const d = make(x);
      const s = d.rsample(sampleShape, seed);
      const weights = tf.reshape(tf.linspace(0.5, 1.5, s.size), s.shape);
      const value = tf.sum(tf.mul(s, weights)) as tf.Scalar;
      d.dispose();
      return value;
    });
  const analytic = tf.grad(f)(param);
  const numeric = numericGradient(f, param, step);
  expectClose(analytic, numeric, { rtol, atol });
  analytic.dispose();
}

// ---- Seeds and batch operations (issue 12, part B) ----

/**
 * A seed is a promise: equal seeds repeat (seed 0 included), different seeds differ. Uses
 * `rsample` when `reparameterized`.
 */
export function checkSeeds(
  d: Distribution,
  options: { sampleShape?: number[]; reparameterized?: boolean } = {},
): void {
  const { sampleShape = [50], reparameterized = false } = options;
  const draw = (seed: number) =>
    reparameterized ? d.rsample(sampleShape, seed) : d.sample(sampleShape, seed);
  const [zero, zeroAgain, one, seven, sevenAgain] = [0, 0, 1, 7, 7].map(draw) as tf.Tensor[];
  const same = (a: tf.Tensor, b: tf.Tensor) =>
    a.dataSync().every((value, i) => Object.is(value, b.dataSync()[i]));
  expect(same(zero!, zeroAgain!), 'seed 0 repeats').toBe(true);
  expect(same(seven!, sevenAgain!), 'seed 7 repeats').toBe(true);
  expect(same(zero!, one!), 'seeds 0 and 1 differ').toBe(false);
  expect(same(one!, seven!), 'seeds 1 and 7 differ').toBe(false);
  tf.dispose([zero!, zeroAgain!, one!, seven!, sevenAgain!]);
}
