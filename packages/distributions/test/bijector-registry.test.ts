// bijectTo: a bijector from the reals onto the support of every family of the package.
import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  Bernoulli,
  Beta,
  type Bijector,
  Binomial,
  bijectTo,
  Categorical,
  Cauchy,
  Chain,
  Chi2,
  type Constraint,
  ContinuousBernoulli,
  CorrCholesky,
  constraints,
  Dirichlet,
  DiscretizedLogistic,
  type Distribution,
  Exp,
  Exponential,
  FisherSnedecor,
  Gamma,
  Geometric,
  Gumbel,
  HalfCauchy,
  HalfNormal,
  Identity,
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
  Pareto,
  Poisson,
  RelaxedBernoulli,
  RelaxedOneHotCategorical,
  registerBijectTo,
  Scale,
  Sigmoid,
  StickBreaking,
  StudentT,
  Tanh,
  TransformedDistribution,
  Uniform,
  VonMises,
  Weibull,
} from '../src/index.js';
import { expectVaeError } from './helpers/errors.js';

type BijectorClass = abstract new (...args: never[]) => Bijector;

/** Every continuous family, and the bijector its support maps to. */
const continuous: { name: string; make: () => Distribution; expected: BijectorClass }[] = [
  { name: 'Normal', make: () => new Normal({ loc: [0, 1], scale: 1 }), expected: Identity },
  { name: 'Laplace', make: () => new Laplace({ loc: 0, scale: 2 }), expected: Identity },
  { name: 'Gumbel', make: () => new Gumbel({ loc: 1, scale: 2 }), expected: Identity },
  {
    name: 'MultivariateNormal',
    make: () =>
      new MultivariateNormal({
        loc: [0, 1],
        scaleTril: [
          [1, 0],
          [0.5, 1],
        ],
      }),
    expected: Identity,
  },
  {
    name: 'Independent(Normal)',
    make: () => new Independent(new Normal({ loc: [0, 1, 2], scale: 1 }), 1),
    expected: Identity,
  },
  {
    name: 'MixtureSameFamily',
    make: () =>
      new MixtureSameFamily({
        mixture: new Categorical({ probs: [0.3, 0.7] }),
        components: new Normal({ loc: [-1, 1], scale: 0.5 }),
      }),
    expected: Identity,
  },
  { name: 'Exponential', make: () => new Exponential({ rate: [1, 3] }), expected: Exp },
  { name: 'Gamma', make: () => new Gamma({ concentration: 2, rate: 1 }), expected: Exp },
  { name: 'LogNormal', make: () => new LogNormal({ loc: 0, scale: 1 }), expected: Exp },
  {
    name: 'Beta',
    make: () => new Beta({ concentration1: 2, concentration0: 3 }),
    expected: Sigmoid,
  },
  {
    name: 'ContinuousBernoulli',
    make: () => new ContinuousBernoulli({ probs: 0.3 }),
    expected: Sigmoid,
  },
  {
    name: 'RelaxedBernoulli',
    make: () => new RelaxedBernoulli({ temperature: 0.5, probs: 0.3 }),
    expected: Sigmoid,
  },
  { name: 'Uniform', make: () => new Uniform({ low: [-1, 2], high: [3, 2.5] }), expected: Chain },
  {
    name: 'Dirichlet',
    make: () => new Dirichlet({ concentration: [1, 2, 3] }),
    expected: StickBreaking,
  },
  {
    name: 'RelaxedOneHotCategorical',
    make: () => new RelaxedOneHotCategorical({ temperature: 0.5, probs: [0.2, 0.3, 0.5] }),
    expected: StickBreaking,
  },
  {
    name: 'LogisticNormal',
    make: () => new LogisticNormal({ loc: [0, 1], scale: 1 }),
    expected: StickBreaking,
  },
  { name: 'Cauchy', make: () => new Cauchy({ loc: 0, scale: 2 }), expected: Identity },
  { name: 'StudentT', make: () => new StudentT({ df: 3, loc: 0, scale: 1 }), expected: Identity },
  { name: 'VonMises', make: () => new VonMises({ loc: 0, concentration: 2 }), expected: Identity },
  { name: 'HalfNormal', make: () => new HalfNormal({ scale: 2 }), expected: Exp },
  { name: 'HalfCauchy', make: () => new HalfCauchy({ scale: 2 }), expected: Exp },
  { name: 'Chi2', make: () => new Chi2({ df: 3 }), expected: Exp },
  { name: 'FisherSnedecor', make: () => new FisherSnedecor({ df1: 3, df2: 5 }), expected: Exp },
  { name: 'Weibull', make: () => new Weibull({ scale: 1, concentration: 2 }), expected: Exp },
  { name: 'Pareto', make: () => new Pareto({ scale: 2, alpha: 3 }), expected: Chain },
  {
    name: 'Kumaraswamy',
    make: () => new Kumaraswamy({ concentration1: 2, concentration0: 3 }),
    expected: Sigmoid,
  },
  {
    name: 'LowRankMultivariateNormal',
    make: () =>
      new LowRankMultivariateNormal({ loc: [0, 1], covFactor: [[1], [0.5]], covDiag: [1, 2] }),
    expected: Identity,
  },
  {
    name: 'LKJCholesky',
    make: () => new LKJCholesky({ dim: 3, concentration: 2 }),
    expected: CorrCholesky,
  },
  {
    name: 'TransformedDistribution(Normal, Tanh)',
    make: () => new TransformedDistribution(new Normal({ loc: 0, scale: 1 }), new Tanh()),
    expected: Tanh,
  },
  {
    name: 'TransformedDistribution(Normal, CorrCholesky) (an LKJ-like support)',
    make: () =>
      new TransformedDistribution(new Normal({ loc: [0, 0, 0], scale: 1 }), new CorrCholesky()),
    expected: CorrCholesky,
  },
];

const discrete: { name: string; make: () => Distribution }[] = [
  { name: 'Bernoulli', make: () => new Bernoulli({ probs: 0.3 }) },
  { name: 'Categorical', make: () => new Categorical({ probs: [0.2, 0.8] }) },
  { name: 'OneHotCategorical', make: () => new OneHotCategorical({ probs: [0.2, 0.8] }) },
  { name: 'Poisson', make: () => new Poisson({ rate: 2 }) },
  { name: 'DiscretizedLogistic', make: () => new DiscretizedLogistic({ loc: 0.5, scale: 0.1 }) },
  { name: 'Binomial', make: () => new Binomial({ totalCount: 5, probs: 0.3 }) },
  { name: 'Geometric', make: () => new Geometric({ probs: 0.3 }) },
  { name: 'NegativeBinomial', make: () => new NegativeBinomial({ totalCount: 3, probs: 0.3 }) },
  { name: 'Multinomial', make: () => new Multinomial({ totalCount: 4, probs: [0.2, 0.8] }) },
];

/** Frees a distribution built from numbers and the distributions inside it. */
function disposeAll(d: Distribution): void {
  d.dispose();
  if (d instanceof Independent || d instanceof TransformedDistribution) d.base.dispose();
  if (d instanceof MixtureSameFamily) {
    d.mixture.dispose();
    d.components.dispose();
  }
}

describe('bijectTo(support)', () => {
  for (const { name, make, expected } of continuous) {
    it(`${name}: ${expected.name} maps reals into the support, where logProb accepts them`, async () => {
      await expectNoLeaks(() => {
        const d = make();
        const bijector = bijectTo(d.support);
        expect(bijector).toBeInstanceOf(expected);
        const shape = bijector.inverseShape([...d.batchShape, ...d.eventShape]);
        const x = tf.randomUniform([50, ...shape], -4, 4, 'float32', 0.5);
        const y = bijector.forward(x);
        expect(y.shape).toEqual([50, ...d.batchShape, ...d.eventShape]);
        const valid = tf.tidy(() => tf.all(d.support.check(y)).dataSync()[0]);
        expect(valid).toBe(1);
        const logp = d.logProb(y); // validates y against the support
        for (const value of logp.dataSync()) expect(Number.isFinite(value)).toBe(true);
        tf.dispose([x, y, logp]);
        bijector.dispose();
        disposeAll(d);
      });
    });
  }

  for (const { name, make } of discrete) {
    it(`${name}: a discrete support has none (UNSUPPORTED)`, () => {
      const d = make();
      expectVaeError(
        () => bijectTo(d.support),
        /bijectTo: no bijector registered onto/,
        'UNSUPPORTED',
      );
      d.dispose();
    });
  }

  it('maps onto intervals and half-lines with their bounds', async () => {
    await expectNoLeaks(() => {
      const uniform = new Uniform({ low: -1, high: 3 });
      const toInterval = bijectTo(uniform.support);
      const middle = toInterval.forward([0]);
      expect(Array.from(middle.dataSync())).toEqual([1]);
      const lower = tf.tensor1d([2, -5]);
      const above = bijectTo(constraints.greaterThan(lower));
      const below = bijectTo(constraints.lessThan(1));
      const x = tf.tensor2d([
        [-5, 0],
        [3, 10],
      ]);
      const [a, b] = [above.forward(x), below.forward(x)];
      const [aa, bb] = [Array.from(a.dataSync()), Array.from(b.dataSync())];
      expect(aa.every((v, i) => v > [2, -5][i % 2]!)).toBe(true);
      expect(bb.every((v) => v < 1)).toBe(true);
      expect(bijectTo(constraints.independent(constraints.real, 1))).toBeInstanceOf(Identity);
      tf.dispose([middle, lower, x, a, b]);
      for (const z of [toInterval, above, below, uniform]) z.dispose();
    });
  });

  it('registerBijectTo adds a bijector for a kind or a constraint, once unless replacing', async () => {
    await expectNoLeaks(() => {
      const angle: Constraint = {
        kind: 'test-angle',
        description: 'in [0, 2 pi]',
        check: (x) => tf.logicalAnd(tf.greaterEqual(x, 0), tf.lessEqual(x, 2 * Math.PI)),
      };
      expectVaeError(() => bijectTo(angle), /kind 'test-angle'/, 'UNSUPPORTED');
      const toAngle = () => new Chain([new Sigmoid(), new Scale({ scale: 2 * Math.PI })]);
      registerBijectTo('test-angle', toAngle);
      const chain = bijectTo(angle) as Chain;
      expect(chain.bijectors.map((b) => b.name)).toEqual(['Sigmoid', 'Scale']);
      expectVaeError(
        () => registerBijectTo('test-angle', toAngle),
        /already registered; pass \{ replace: true \}/,
      );
      registerBijectTo('test-angle', () => new Tanh(), { replace: true });
      expect(bijectTo(angle)).toBeInstanceOf(Tanh);
      const exact: Constraint = { description: 'anything', check: (x) => tf.onesLike(x) };
      registerBijectTo(exact, () => new Identity());
      expect(bijectTo(exact)).toBeInstanceOf(Identity);
      expectVaeError(
        () => registerBijectTo(exact, () => new Exp()),
        /"anything" is already registered/,
      );
      for (const b of chain.bijectors) b.dispose();
    });
  });
});
