// Seeds are a promise, for every family with a sampler (one table, not a copy per family):
// equal seeds give equal draws (seed 0 included, and rsample equals sample), different seeds
// give different draws, and seeded draws have the right distribution (a seeded
// Beta(2, 2).sample([20000], 79) has variance ~0.05, not 0).
import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  Bernoulli,
  Beta,
  Categorical,
  Cauchy,
  Chi2,
  ContinuousBernoulli,
  Dirichlet,
  DiscretizedLogistic,
  type Distribution,
  Exponential,
  FisherSnedecor,
  Gamma,
  Gumbel,
  HalfCauchy,
  HalfNormal,
  Independent,
  Kumaraswamy,
  Laplace,
  LogNormal,
  MixtureSameFamily,
  MultivariateNormal,
  Normal,
  OneHotCategorical,
  Pareto,
  Poisson,
  RelaxedBernoulli,
  RelaxedOneHotCategorical,
  StudentT,
  Uniform,
  VonMises,
  Weibull,
} from '../src/index.js';
import { checkSampleMoments, expectMonteCarloMean } from './helpers/properties.js';

/** How seeded draws are checked against the distribution. */
type Statistic =
  | 'moments' // sample mean and variance against `mean` and `variance`
  | 'quantiles' // P(x < icdf(q)) = q for q = 1/4, 1/2 (no finite moments)
  | 'circular' // E[cos(x - loc)] = 1 - circular variance
  | 'frequencies' // category frequencies against the probabilities
  | 'unseeded'; // mean and mean square agree with an unseeded sample (two-sample test)

interface Family {
  name: string;
  make: () => { d: Distribution; parts?: Distribution[] };
  statistic: Statistic;
}

const families: Family[] = [
  {
    name: 'Normal',
    make: () => ({ d: new Normal({ loc: [0, 2], scale: [1, 0.5] }) }),
    statistic: 'moments',
  },
  {
    name: 'Laplace',
    make: () => ({ d: new Laplace({ loc: [0, 2], scale: [1, 0.5] }) }),
    statistic: 'moments',
  },
  {
    name: 'Gumbel',
    make: () => ({ d: new Gumbel({ loc: [0, 2], scale: [1, 0.5] }) }),
    statistic: 'moments',
  },
  {
    name: 'LogNormal',
    make: () => ({ d: new LogNormal({ loc: [0, 1], scale: [0.3, 0.5] }) }),
    statistic: 'moments',
  },
  {
    name: 'Uniform',
    make: () => ({ d: new Uniform({ low: [0, -1], high: [1, 3] }) }),
    statistic: 'moments',
  },
  {
    name: 'Exponential',
    make: () => ({ d: new Exponential({ rate: [0.5, 3] }) }),
    statistic: 'moments',
  },
  {
    name: 'Gamma',
    make: () => ({ d: new Gamma({ concentration: [0.5, 4], rate: [1, 2] }) }),
    statistic: 'moments',
  },
  {
    name: 'Beta',
    make: () => ({ d: new Beta({ concentration1: [2, 0.3], concentration0: [2, 0.5] }) }),
    statistic: 'moments',
  },
  {
    name: 'Dirichlet',
    make: () => ({ d: new Dirichlet({ concentration: [0.5, 2, 3] }) }),
    statistic: 'moments',
  },
  {
    name: 'Bernoulli',
    make: () => ({ d: new Bernoulli({ probs: [0.2, 0.9] }) }),
    statistic: 'moments',
  },
  {
    name: 'ContinuousBernoulli',
    make: () => ({ d: new ContinuousBernoulli({ probs: [0.2, 0.9] }) }),
    statistic: 'moments',
  },
  {
    name: 'Categorical',
    make: () => ({ d: new Categorical({ probs: [0.2, 0.5, 0.3] }) }),
    statistic: 'frequencies',
  },
  {
    name: 'OneHotCategorical',
    make: () => ({ d: new OneHotCategorical({ probs: [0.2, 0.5, 0.3] }) }),
    statistic: 'moments',
  },
  { name: 'Poisson', make: () => ({ d: new Poisson({ rate: [0.7, 30] }) }), statistic: 'moments' },
  {
    name: 'RelaxedBernoulli',
    make: () => ({ d: new RelaxedBernoulli({ temperature: 0.7, probs: [0.2, 0.9] }) }),
    statistic: 'unseeded',
  },
  {
    name: 'RelaxedOneHotCategorical',
    make: () => ({ d: new RelaxedOneHotCategorical({ temperature: 0.7, probs: [0.2, 0.5, 0.3] }) }),
    statistic: 'unseeded',
  },
  {
    name: 'MixtureSameFamily',
    make: () => {
      const mixture = new Categorical({ probs: [0.3, 0.7] });
      const components = new Normal({ loc: [-2, 2], scale: [0.5, 1] });
      return { d: new MixtureSameFamily({ mixture, components }), parts: [mixture, components] };
    },
    statistic: 'moments',
  },
  {
    name: 'DiscretizedLogistic',
    make: () => ({ d: new DiscretizedLogistic({ loc: [0.3, 0.6], scale: [0.05, 0.1] }) }),
    statistic: 'moments',
  },
  {
    name: 'MultivariateNormal',
    make: () => ({
      d: new MultivariateNormal({
        loc: [1, -1],
        scaleTril: [
          [1, 0],
          [0.5, 0.8],
        ],
      }),
    }),
    statistic: 'moments',
  },
  {
    name: 'Independent',
    make: () => {
      const base = new Normal({ loc: [0, 2, 4], scale: [1, 0.5, 2] });
      return { d: new Independent(base, 1), parts: [base] };
    },
    statistic: 'moments',
  },
  {
    name: 'StudentT',
    make: () => ({ d: new StudentT({ df: [9, 30], loc: [0, 1], scale: [1, 2] }) }),
    statistic: 'moments',
  },
  {
    name: 'Cauchy',
    make: () => ({ d: new Cauchy({ loc: [0, 1], scale: [1, 2] }) }),
    statistic: 'quantiles',
  },
  {
    name: 'HalfCauchy',
    make: () => ({ d: new HalfCauchy({ scale: [1, 2] }) }),
    statistic: 'quantiles',
  },
  {
    name: 'HalfNormal',
    make: () => ({ d: new HalfNormal({ scale: [1, 2] }) }),
    statistic: 'moments',
  },
  { name: 'Chi2', make: () => ({ d: new Chi2({ df: [1, 5] }) }), statistic: 'moments' },
  {
    name: 'FisherSnedecor',
    make: () => ({ d: new FisherSnedecor({ df1: [3, 8], df2: [20, 30] }) }),
    statistic: 'moments',
  },
  {
    name: 'Weibull',
    make: () => ({ d: new Weibull({ scale: [1, 2], concentration: [0.8, 3] }) }),
    statistic: 'moments',
  },
  {
    name: 'Pareto',
    make: () => ({ d: new Pareto({ scale: [1, 2], alpha: [9, 12] }) }),
    statistic: 'moments',
  },
  {
    name: 'Kumaraswamy',
    make: () => ({ d: new Kumaraswamy({ concentration1: [0.5, 3], concentration0: [2, 0.8] }) }),
    statistic: 'moments',
  },
  {
    name: 'VonMises',
    make: () => ({ d: new VonMises({ loc: [0.5, -2], concentration: [0.4, 10] }) }),
    statistic: 'circular',
  },
];

function values(x: tf.Tensor): number[] {
  const out = Array.from(x.dataSync());
  x.dispose();
  return out;
}

function disposeAll({ d, parts = [] }: ReturnType<Family['make']>): void {
  d.dispose();
  for (const part of parts) part.dispose();
}

/** mean over axis 0 of `x` `[n, ...]` against mean over axis 0 of `y`, within 5 combined standard errors. */
function expectSameMean(x: tf.Tensor, y: tf.Tensor): void {
  const [mx, vx] = tf.tidy(() => Object.values(tf.moments(x, 0)));
  const [my, vy] = tf.tidy(() => Object.values(tf.moments(y, 0)));
  const n = x.shape[0]!;
  const a = values(mx!);
  const b = values(my!);
  const sa = values(vx!);
  const sb = values(vy!);
  a.forEach((value, i) => {
    const bound = 5 * Math.sqrt((sa[i]! + sb[i]!) / n) + 1e-6;
    expect(Math.abs(value - b[i]!), `index ${i}: ${value} vs ${b[i]}`).toBeLessThanOrEqual(bound);
  });
}

function checkStatistic(family: Family, d: Distribution): void {
  const n = 20000;
  const seed = 79;
  switch (family.statistic) {
    case 'moments':
      checkSampleMoments(d, { n, seed });
      return;
    case 'quantiles':
      for (const q of [0.25, 0.5]) {
        const below = tf.tidy(() => {
          const cut = d.icdf(tf.fill(d.batchShape, q));
          return tf.cast(tf.less(d.sample([n], seed), cut), 'float32');
        });
        const expected = tf.fill(d.batchShape, q);
        expectMonteCarloMean(below, expected);
        tf.dispose([below, expected]);
      }
      return;
    case 'circular': {
      const loc = (d as VonMises).loc;
      const cosine = tf.tidy(() => tf.cos(tf.sub(d.sample([n], seed), loc)));
      const expected = tf.tidy(() => tf.sub(1, d.variance()));
      expectMonteCarloMean(cosine, expected);
      tf.dispose([cosine, expected]);
      return;
    }
    case 'frequencies': {
      const k = 3;
      const oneHot = tf.tidy(() =>
        tf.cast(tf.oneHot(tf.cast(d.sample([n], seed), 'int32'), k), 'float32'),
      );
      const probs = tf.tensor([0.2, 0.5, 0.3]);
      expectMonteCarloMean(oneHot, probs);
      tf.dispose([oneHot, probs]);
      return;
    }
    case 'unseeded': {
      const seeded = d.sample([n], seed);
      const unseeded = d.sample([n]);
      const [s2, u2] = tf.tidy(() => [tf.square(seeded), tf.square(unseeded)]);
      expectSameMean(seeded, unseeded);
      expectSameMean(s2!, u2!);
      tf.dispose([seeded, unseeded, s2!, u2!]);
      return;
    }
  }
}

describe.each(families)('$name seeds', (family) => {
  it('equal seeds give equal draws (seed 0 included); rsample equals sample', async () => {
    await expectNoLeaks(() => {
      const made = family.make();
      const { d } = made;
      for (const seed of [0, 1, 79, 2 ** 40 + 0.5]) {
        const first = values(d.sample([50], seed));
        expect(values(d.sample([50], seed)), `seed ${seed}`).toEqual(first);
        if (d.hasRsample)
          expect(values(d.rsample([50], seed)), `rsample seed ${seed}`).toEqual(first);
      }
      disposeAll(made);
    });
  });

  it('different seeds, and no seed, give different draws', async () => {
    await expectNoLeaks(() => {
      const made = family.make();
      const { d } = made;
      const draws = [0, 1, 2, 79].map((seed) => values(d.sample([200], seed)));
      draws.push(values(d.sample([200])));
      for (let i = 0; i < draws.length; i++) {
        for (let j = i + 1; j < draws.length; j++) {
          expect(draws[i], `draws ${i} and ${j}`).not.toEqual(draws[j]);
        }
      }
      disposeAll(made);
    });
  });

  it('seeded draws follow the distribution (20000 draws with seed 79, 5 standard errors)', async () => {
    await expectNoLeaks(() => {
      const made = family.make();
      checkStatistic(family, made.d);
      disposeAll(made);
    });
  });
});

it('a seeded Beta(2, 2).sample([20000], 79) has variance 0.05 (not 0)', () => {
  const d = new Beta({ concentration1: 2, concentration0: 2 });
  const x = d.sample([20000], 79);
  const variance = tf.moments(x).variance;
  expect(Math.abs(variance.dataSync()[0]! - 0.05)).toBeLessThan(0.003);
  tf.dispose([x, variance]);
  d.dispose();
});
