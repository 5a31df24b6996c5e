// The ownership rule: fields borrow, anything that allocates a tensor is a method. A getter
// may return a tensor the distribution holds, never a new one (`d.mean.shape` would leak it).
import * as tf from '@tensorflow/tfjs-core';
import { expectGettersDoNotAllocate } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  Bernoulli,
  Beta,
  Binomial,
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
  Geometric,
  Gumbel,
  HalfCauchy,
  HalfNormal,
  Independent,
  Kumaraswamy,
  Laplace,
  LKJCholesky,
  LogisticNormal,
  LogNormal,
  LowRankMultivariateNormal,
  MixtureSameFamily,
  Multinomial,
  MultivariateNormal,
  NegativeBinomial,
  Normal,
  OneHotCategorical,
  OneHotCategoricalStraightThrough,
  Pareto,
  Poisson,
  RelaxedBernoulli,
  RelaxedOneHotCategorical,
  StudentT,
  Uniform,
  VonMises,
  Weibull,
  Wishart,
} from '../src/index.js';

const spd = [
  [2, 0.5],
  [0.5, 1],
];

/** `d`, whose `dispose` also frees `parts` (distributions it borrows). */
function owning<D extends Distribution>(d: D, parts: Distribution[]): D {
  const dispose = d.dispose.bind(d);
  d.dispose = () => {
    dispose();
    for (const part of parts) part.dispose();
  };
  return d;
}

/** Each family, built from numbers (so it owns its tensors), and its allocating methods. */
const families: { name: string; make: () => Distribution; methods: string[] }[] = [
  { name: 'Normal', make: () => new Normal({ loc: [0, 1], scale: [1, 2] }), methods: [] },
  {
    name: 'MultivariateNormal',
    make: () => new MultivariateNormal({ loc: [0, 1], covarianceMatrix: spd }),
    methods: ['covarianceMatrix'],
  },
  {
    name: 'LowRankMultivariateNormal',
    make: () =>
      new LowRankMultivariateNormal({ loc: [0, 1], covFactor: [[1], [0.5]], covDiag: [1, 2] }),
    methods: ['covarianceMatrix', 'precisionMatrix', 'scaleTril'],
  },
  {
    name: 'Bernoulli (probs)',
    make: () => new Bernoulli({ probs: [0.2, 0.7] }),
    methods: ['probs', 'logits'],
  },
  {
    name: 'Bernoulli (logits)',
    make: () => new Bernoulli({ logits: [-1, 2] }),
    methods: ['probs', 'logits'],
  },
  {
    name: 'Categorical',
    make: () => new Categorical({ logits: [[0, 1, 2]] }),
    methods: ['probs', 'logits'],
  },
  {
    name: 'Beta',
    make: () => new Beta({ concentration1: [2, 3], concentration0: [4, 1.5] }),
    methods: [],
  },
  {
    name: 'Binomial',
    make: () => new Binomial({ totalCount: 5, probs: [0.3, 0.6] }),
    methods: ['probs', 'logits'],
  },
  {
    name: 'ContinuousBernoulli',
    make: () => new ContinuousBernoulli({ probs: [0.3, 0.6] }),
    methods: ['probs', 'logits'],
  },
  {
    name: 'Geometric',
    make: () => new Geometric({ logits: [0.5, -1] }),
    methods: ['probs', 'logits'],
  },
  {
    name: 'NegativeBinomial',
    make: () => new NegativeBinomial({ totalCount: 3, probs: [0.3, 0.6] }),
    methods: ['probs', 'logits'],
  },
  {
    name: 'Multinomial',
    make: () => new Multinomial({ totalCount: 4, probs: [0.2, 0.3, 0.5] }),
    methods: ['probs', 'logits'],
  },
  {
    name: 'OneHotCategorical',
    make: () => new OneHotCategorical({ probs: [0.2, 0.3, 0.5] }),
    methods: ['probs', 'logits'],
  },
  {
    name: 'OneHotCategoricalStraightThrough',
    make: () => new OneHotCategoricalStraightThrough({ logits: [0, 1, 2] }),
    methods: ['probs', 'logits'],
  },
  {
    name: 'RelaxedBernoulli',
    make: () => new RelaxedBernoulli({ temperature: 0.5, probs: [0.3, 0.6] }),
    methods: ['probs', 'logits'],
  },
  {
    name: 'RelaxedOneHotCategorical',
    make: () => new RelaxedOneHotCategorical({ temperature: 0.5, logits: [0, 1, 2] }),
    methods: ['probs', 'logits'],
  },
  {
    name: 'Wishart',
    make: () => new Wishart({ df: 4, covarianceMatrix: spd }),
    methods: ['covarianceMatrix', 'precisionMatrix'],
  },
  {
    name: 'Independent(Normal)',
    make: () => {
      const base = new Normal({ loc: [0, 1], scale: 1 });
      return owning(new Independent(base, 1), [base]);
    },
    methods: [],
  },
  {
    name: 'MixtureSameFamily',
    make: () => {
      const mixture = new Categorical({ probs: [0.3, 0.7] });
      const components = new Normal({ loc: [-1, 1], scale: [1, 0.5] });
      return owning(new MixtureSameFamily({ mixture, components }), [mixture, components]);
    },
    methods: [],
  },
  { name: 'Laplace', make: () => new Laplace({ loc: 0, scale: 1 }), methods: [] },
  { name: 'Gumbel', make: () => new Gumbel({ loc: 0, scale: 1 }), methods: [] },
  { name: 'Cauchy', make: () => new Cauchy({ loc: 0, scale: 1 }), methods: [] },
  { name: 'HalfCauchy', make: () => new HalfCauchy({ scale: 1 }), methods: [] },
  { name: 'HalfNormal', make: () => new HalfNormal({ scale: 1 }), methods: [] },
  { name: 'Exponential', make: () => new Exponential({ rate: [1, 2] }), methods: [] },
  { name: 'Uniform', make: () => new Uniform({ low: 0, high: [1, 2] }), methods: [] },
  { name: 'LogNormal', make: () => new LogNormal({ loc: 0, scale: 1 }), methods: [] },
  { name: 'Gamma', make: () => new Gamma({ concentration: 2, rate: 1 }), methods: [] },
  { name: 'Chi2', make: () => new Chi2({ df: 3 }), methods: [] },
  { name: 'Dirichlet', make: () => new Dirichlet({ concentration: [1, 2, 3] }), methods: [] },
  { name: 'Poisson', make: () => new Poisson({ rate: [0.5, 4] }), methods: [] },
  { name: 'StudentT', make: () => new StudentT({ df: 5, loc: 0, scale: 1 }), methods: [] },
  { name: 'FisherSnedecor', make: () => new FisherSnedecor({ df1: 5, df2: 7 }), methods: [] },
  { name: 'Weibull', make: () => new Weibull({ scale: 1, concentration: 2 }), methods: [] },
  { name: 'Pareto', make: () => new Pareto({ scale: 1, alpha: 3 }), methods: [] },
  {
    name: 'Kumaraswamy',
    make: () => new Kumaraswamy({ concentration1: 2, concentration0: 3 }),
    methods: [],
  },
  { name: 'VonMises', make: () => new VonMises({ loc: 0, concentration: 2 }), methods: [] },
  {
    name: 'DiscretizedLogistic',
    make: () => new DiscretizedLogistic({ loc: 0.5, scale: 0.1, bins: 16 }),
    methods: [],
  },
  { name: 'LKJCholesky', make: () => new LKJCholesky({ dim: 3 }), methods: [] },
  {
    name: 'LogisticNormal',
    make: () => new LogisticNormal({ loc: [0, 1], scale: 1 }),
    methods: [],
  },
];

describe('ownership: fields borrow, methods allocate', () => {
  for (const { name, make, methods } of families) {
    it(`${name}: no getter allocates a tensor`, () => {
      const d = make();
      expect(expectGettersDoNotAllocate(d, name)).toContain('support');
      d.dispose();
    });

    it(`${name}: moments and computed parameters are methods returning new tensors`, () => {
      const d = make();
      for (const method of ['mean', 'variance', 'stddev', 'mode', ...methods]) {
        const member = Reflect.get(d, method);
        expect(typeof member, `${name}.${method}`).toBe('function');
        if (!methods.includes(method)) continue;
        const before = tf.memory().numTensors;
        const result = (member as () => tf.Tensor).call(d);
        expect(result).toBeInstanceOf(tf.Tensor);
        // The caller owns it: disposing it frees exactly what the call made.
        result.dispose();
        expect(tf.memory().numTensors, `${name}.${method}()`).toBe(before);
      }
      d.dispose();
    });
  }
});
