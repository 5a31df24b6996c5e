// Every KL pair of issue 12 (torch.distributions 1.13's registrations among our families and
// the new ones): closed form against torch in float64, and against Monte Carlo (seeded, 20000
// draws of log p(x) - log q(x), x ~ p, within 5 standard errors) wherever it is finite.
import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks, flatNumbers, type KlCase } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  Bernoulli,
  Beta,
  Cauchy,
  Chi2,
  ContinuousBernoulli,
  type Distribution,
  Exponential,
  Gamma,
  Gumbel,
  HalfCauchy,
  HalfNormal,
  klDivergence,
  Laplace,
  Normal,
  Pareto,
  Poisson,
  Uniform,
} from '../src/index.js';
import { checkKlCaseWith, continuousReference, referenceTensor } from './helpers/reference.js';

/** Builds each family from reference params; `validateArgs` false for Monte Carlo against q. */
const factories: Record<
  string,
  (p: Record<string, tf.Tensor>, validateArgs?: boolean) => Distribution
> = {
  Normal: (p, validateArgs = true) => new Normal({ loc: p.loc!, scale: p.scale!, validateArgs }),
  Laplace: (p, validateArgs = true) => new Laplace({ loc: p.loc!, scale: p.scale!, validateArgs }),
  Gumbel: (p, validateArgs = true) => new Gumbel({ loc: p.loc!, scale: p.scale!, validateArgs }),
  Exponential: (p, validateArgs = true) => new Exponential({ rate: p.rate!, validateArgs }),
  Gamma: (p, validateArgs = true) =>
    new Gamma({ concentration: p.concentration!, rate: p.rate!, validateArgs }),
  Chi2: (p, validateArgs = true) => new Chi2({ df: p.df!, validateArgs }),
  Beta: (p, validateArgs = true) =>
    new Beta({
      concentration1: p.concentration1!,
      concentration0: p.concentration0!,
      validateArgs,
    }),
  Uniform: (p, validateArgs = true) => new Uniform({ low: p.low!, high: p.high!, validateArgs }),
  ContinuousBernoulli: (p, validateArgs = true) =>
    new ContinuousBernoulli({ logits: p.logits!, validateArgs }),
  Bernoulli: (p, validateArgs = true) => new Bernoulli({ logits: p.logits!, validateArgs }),
  Poisson: (p, validateArgs = true) => new Poisson({ rate: p.rate!, validateArgs }),
  Cauchy: (p, validateArgs = true) => new Cauchy({ loc: p.loc!, scale: p.scale!, validateArgs }),
  HalfCauchy: (p, validateArgs = true) => new HalfCauchy({ scale: p.scale!, validateArgs }),
  HalfNormal: (p, validateArgs = true) => new HalfNormal({ scale: p.scale!, validateArgs }),
  Pareto: (p, validateArgs = true) =>
    new Pareto({ scale: p.scale!, alpha: p.alpha!, validateArgs }),
};

/**
 * Batch members left out of the Monte Carlo check because log p - log q has infinite variance
 * there (a Pareto with alpha <= 4 against a Normal's x^2, alpha <= 2 against terms in x), so a
 * standard error means nothing. Their closed forms are still checked against torch.
 */
const heavyTailed: Record<string, number[]> = {
  'Pareto||Normal': [0, 1, 2],
  'Pareto||Exponential': [0, 1],
  'Pareto||Gamma': [0, 1],
  'Pareto||Chi2': [0, 1],
};

const cases = continuousReference().kl;

function build(side: KlCase['p'], validateArgs = true): { d: Distribution; tensors: tf.Tensor[] } {
  const params = Object.fromEntries(
    Object.entries(side.params).map(([name, value]) => [name, referenceTensor(value)]),
  );
  return { d: factories[side.type]!(params, validateArgs), tensors: Object.values(params) };
}

/** mean over n seeded draws of log p(x) - log q(x), with its standard error, per batch member. */
function monteCarloKl(
  p: Distribution,
  q: Distribution,
  n = 20000,
): { mean: number[]; se: number[] } {
  return tf.tidy(() => {
    const x = p.sample([n], 41);
    const ratio = tf.sub(p.logProb(x), q.logProb(x));
    const { mean, variance } = tf.moments(ratio, 0);
    return {
      mean: Array.from(mean.dataSync()),
      se: Array.from(tf.sqrt(tf.div(variance, n)).dataSync()),
    };
  });
}

describe.each(cases.map((c) => ({ name: `${c.p.type} || ${c.q.type}`, c })))(
  'KL($name)',
  ({ c }) => {
    it('matches torch.distributions (float64)', async () => {
      const tolerance = { rtol: 1e-4, atol: 2e-5 };
      await checkKlCaseWith(c, { p: factories[c.p.type]!, q: factories[c.q.type]!, tolerance });
    });

    it('agrees with Monte Carlo where finite, and is +Infinity exactly where torch says so', async () => {
      await expectNoLeaks(() => {
        const p = build(c.p);
        // Unvalidated q: samples of p outside q's support (the +Infinity members) are no error.
        const q = build(c.q, false);
        const kl = klDivergence(p.d, q.d);
        const exact = Array.from(kl.dataSync());
        const expected = flatNumbers(c.kl);
        exact.forEach((value, i) => {
          expect(value === Number.POSITIVE_INFINITY).toBe(expected[i] === Number.POSITIVE_INFINITY);
        });
        const skip = heavyTailed[`${c.p.type}||${c.q.type}`] ?? [];
        const checked = exact.map((value, i) => Number.isFinite(value) && !skip.includes(i));
        if (checked.some(Boolean)) {
          const { mean, se } = monteCarloKl(p.d, q.d);
          checked.forEach((use, i) => {
            if (!use) return;
            const bound = 5 * se[i]! + 1e-4 + 1e-3 * Math.abs(exact[i]!);
            expect(
              Math.abs(mean[i]! - exact[i]!),
              `index ${i}: MC ${mean[i]} vs ${exact[i]}`,
            ).toBeLessThanOrEqual(bound);
          });
        }
        kl.dispose();
        p.d.dispose();
        q.d.dispose();
        tf.dispose([...p.tensors, ...q.tensors]);
      });
    });
  },
);

describe('KL registry coverage of issue 12', () => {
  it('registers every pair of the fixture and KL(p || p) = 0 for the new same-family pairs', async () => {
    expect(cases.length).toBe(42);
    await expectNoLeaks(() => {
      for (const type of ['Cauchy', 'HalfCauchy', 'HalfNormal', 'Pareto', 'Chi2']) {
        const c = cases.find((k) => k.p.type === type)!;
        const p = build(c.p);
        const self = klDivergence(p.d, p.d);
        for (const value of self.dataSync()) expect(Math.abs(value)).toBeLessThan(1e-5);
        self.dispose();
        p.d.dispose();
        tf.dispose(p.tensors);
      }
    });
  });
});
