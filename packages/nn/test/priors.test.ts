import * as tf from '@tensorflow/tfjs-core';
import { hasKL, klDivergence } from '@vae/distributions';
import { backendTolerance, expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  DiagonalGaussianPrior,
  DiagonalNormal,
  MixtureOfGaussiansPrior,
  mlpVAE,
  type Prior,
  StandardNormal,
  StandardNormalPrior,
  VampPrior,
} from '../src/index.js';

/** KL(N(m1, e^v1) || N(m2, e^v2)) per dimension in float64, from [loc, logVariance] pairs. */
function klFloat64([m1, v1]: [number, number], [m2, v2]: [number, number] = [0, 0]): number {
  const d = v1 - v2;
  return 0.5 * (Math.expm1(d) - d + (m1 - m2) ** 2 * Math.exp(-v2));
}

describe('registered KL closed forms', () => {
  it('KL(DiagonalNormal || StandardNormal) matches float64, accurate as the posterior nears the prior', () => {
    // v = 1e-4 is where e^v - 1 - v loses every digit in float32; expm1 keeps them.
    const loc = [
      [0.5, -1, 0],
      [0, 0, 1e-3],
    ];
    const logVariance = [
      [0.3, -2, 1e-4],
      [1e-4, -1e-4, 2],
    ];
    const q = new DiagonalNormal(tf.tensor2d(loc), tf.tensor2d(logVariance));
    const prior = new StandardNormal(3);
    expect(hasKL(q, prior)).toBe(true);
    const kl = klDivergence(q, prior);
    const expected = loc.map((row, i) =>
      row.reduce((s, m, j) => s + klFloat64([Math.fround(m), Math.fround(logVariance[i]![j]!)]), 0),
    );
    expectClose(kl, expected, { rtol: 1e-4, atol: 0 });
    // One dimension at v = 1e-4 alone: 1/2 (expm1(v) - v) = 2.5e-9.
    const near = new DiagonalNormal(tf.zeros([1, 1]), tf.fill([1, 1], 1e-4));
    const tiny = klDivergence(near, new StandardNormal(1));
    expectClose(tiny, [klFloat64([0, Math.fround(1e-4)])], {
      rtol: backendTolerance({ rtol: 1e-5 }).rtol,
      atol: 0,
    });
    tf.dispose([kl, tiny]);
    for (const d of [q, prior, near]) d.dispose();
  });

  it('KL(DiagonalNormal || DiagonalNormal) matches float64 and its Monte Carlo estimate', () => {
    const p = new DiagonalNormal(tf.tensor2d([[0.5, -1]]), tf.tensor2d([[0.2, -0.5]]));
    const q = new DiagonalNormal(tf.tensor1d([1, 0]), tf.tensor1d([-0.3, 0.4]));
    const kl = klDivergence(p, q);
    const exact = klFloat64([0.5, 0.2], [1, -0.3]) + klFloat64([-1, -0.5], [0, 0.4]);
    expectClose(kl, [exact], { rtol: 1e-5, atol: 0 });
    const n = 40000;
    const z = p.sample([n], 3);
    const logRatio = tf.sub(p.logProb(z), q.logProb(z));
    const mean = tf.mean(logRatio).dataSync()[0]!;
    const sd = Math.sqrt(tf.moments(logRatio).variance.dataSync()[0]! / n);
    expect(Math.abs(mean - exact)).toBeLessThan(5 * sd);
    tf.dispose([kl, z, logRatio]);
    p.dispose();
    q.dispose();
  });

  it('mixture and VampPriors have no closed form', () => {
    const model = mlpVAE({
      inputShape: [4],
      hidden: [3],
      latentDim: 2,
      seed: 1,
      prior: { kind: 'vamp', components: 2 },
    });
    const q = model.encode(tf.ones([1, 4]));
    const vamp = model.priorDistribution();
    const mixture = new MixtureOfGaussiansPrior({ latentDim: 2, components: 3, seed: 1 });
    const m = mixture.distribution();
    expect(hasKL(q, vamp)).toBe(false);
    expect(hasKL(q, m)).toBe(false);
    for (const d of [q, vamp, m]) d.dispose();
    model.dispose();
    mixture.dispose();
  });
});

describe('priors', () => {
  it('log p(z) and draws have the right shapes, free their tensors and honour seeds (0 too)', async () => {
    const priors = [
      new StandardNormalPrior({ latentDim: 3 }),
      new DiagonalGaussianPrior({ latentDim: 3 }),
      new MixtureOfGaussiansPrior({ latentDim: 3, components: 4, seed: 2 }),
    ];
    const z = tf.randomNormal([5, 3], 0, 1, 'float32', 1);
    for (const prior of priors) {
      const logDensity = await expectNoLeaks(() => prior.apply(z));
      expect(logDensity.shape).toEqual([5]);
      await expectNoLeaks(() => prior.sample(6, { seed: 0 }));
      const a = prior.sample(6, { seed: 0 });
      expect(a.shape).toEqual([6, 3]);
      const again = prior.sample(6, { seed: 0 });
      const other = prior.sample(6, { seed: 1 });
      expect(Array.from(again.dataSync())).toEqual(Array.from(a.dataSync()));
      expect(Array.from(other.dataSync())).not.toEqual(Array.from(a.dataSync()));
      tf.dispose([a, again, other]);
      prior.dispose();
    }
    z.dispose();
  });

  it('the standard normal and its prior draw exactly what N(0, e^0) draws with the same seed', () => {
    // Its sampler skips loc + scale * eps; the draws must not change with it.
    const standard = new StandardNormal(3);
    const general = new DiagonalNormal(tf.zeros([3]), tf.zeros([3]));
    for (const seed of [0, 1, 12345]) {
      for (const method of ['sample', 'rsample'] as const) {
        const a = standard[method]([7], seed);
        const b = general[method]([7], seed);
        expect(a.shape).toEqual([7, 3]);
        expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
        tf.dispose([a, b]);
      }
    }
    // The prior draws without building its distribution: the same numbers as building it.
    const prior = new StandardNormalPrior({ latentDim: 3 });
    for (const seed of [0, 5]) {
      const viaPrior = prior.sample(7, { seed });
      const viaDistribution = standard.sample([7], seed);
      expect(Array.from(viaPrior.dataSync())).toEqual(Array.from(viaDistribution.dataSync()));
      tf.dispose([viaPrior, viaDistribution]);
    }
    const unseeded = standard.sample([2]);
    expect(unseeded.shape).toEqual([2, 3]);
    tf.dispose(unseeded);
    standard.dispose();
    general.dispose();
  });

  it('the mixture prior samples its mixture: mean and variance match the closed form', () => {
    const prior = new MixtureOfGaussiansPrior({ latentDim: 1, components: 2, seed: 3 });
    prior.logits.assign(tf.tensor1d([Math.log(0.25), Math.log(0.75)]));
    prior.loc.assign(tf.tensor2d([[-2], [2]]));
    prior.logVariance.assign(tf.tensor2d([[Math.log(0.25)], [0]]));
    const draws = prior.sample(40000, { seed: 5 });
    const { mean, variance } = tf.moments(draws);
    // Mean 0.25 * -2 + 0.75 * 2 = 1; variance E[var] + var(E) = 0.8125 + 3 = 3.8125.
    expectClose(mean, 1, { atol: 5 * Math.sqrt(3.8125 / 40000), rtol: 0 });
    expectClose(variance, 3.8125, { rtol: 0.05, atol: 0 });
    tf.dispose([draws, mean, variance]);
    prior.dispose();
  });

  it('gradients reach the learned priors: diagonal, mixture and the VampPrior pseudo-inputs', () => {
    const z = tf.randomNormal([8, 2], 0.5, 1, 'float32', 4);
    const cases: { prior: Prior; dispose: () => void }[] = [
      { prior: new DiagonalGaussianPrior({ latentDim: 2 }), dispose: () => {} },
      {
        prior: new MixtureOfGaussiansPrior({ latentDim: 2, components: 3, seed: 1 }),
        dispose: () => {},
      },
    ];
    const vampModel = mlpVAE({
      inputShape: [4],
      hidden: [3],
      latentDim: 2,
      seed: 1,
      prior: { kind: 'vamp', components: 2 },
    });
    cases.push({ prior: vampModel.prior as VampPrior, dispose: () => vampModel.dispose() });
    for (const { prior, dispose } of cases) {
      const variables = prior.trainableVariables;
      expect(variables.length).toBeGreaterThan(0);
      const { grads, value } = tf.variableGrads(
        () => tf.neg(tf.sum(prior.call(z))) as tf.Scalar,
        variables,
      );
      for (const v of variables) {
        const g = grads[v.name];
        expect(g, `${prior.constructor.name} ${v.name}`).toBeDefined();
        expect(tf.sum(tf.abs(g!)).dataSync()[0]).toBeGreaterThan(0);
      }
      tf.dispose([value, ...Object.values(grads)]);
      if (prior instanceof VampPrior) dispose();
      else prior.dispose();
    }
    z.dispose();
  });

  it('a VampPrior needs an encoder whose first layer passes gradients to its input', () => {
    const plain = mlpVAE({ inputShape: [4], hidden: [3], latentDim: 2, seed: 1 });
    const vamp = new VampPrior({ latentDim: 2, components: 2, dataShape: [4], seed: 1 });
    expect(() => vamp.bindEncoder(plain.encoder)).toThrowError(/inputGradient: false/);
    expect(() => vamp.distribution()).toThrowError(/no encoder is bound/);
    vamp.dispose();
    plain.dispose();
  });
});
