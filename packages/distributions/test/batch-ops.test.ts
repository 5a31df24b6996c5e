// expand, slice and index on every family: the result's logProb (and mean, where defined) at a
// point equals the original's, broadcast, sliced or indexed the same way; the result owns its
// tensors (it outlives the original) and nothing leaks.
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
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
  Distribution,
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
  LogNormal,
  LowRankMultivariateNormal,
  MixtureSameFamily,
  Multinomial,
  MultivariateNormal,
  NegativeBinomial,
  Normal,
  OneHotCategorical,
  OneHotCategoricalStraightThrough,
  ParamScope,
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
import { expectVaeError } from './gamma-family-support.js';

const grid = (rows: number[][]) => rows; // batch [2, 3]
const a = grid([
  [0.2, -0.5, 1],
  [1.5, 0, -1],
]);
const b = grid([
  [0.5, 1, 2],
  [0.7, 1.3, 0.9],
]);
const p = grid([
  [0.2, 0.5, 0.9],
  [0.7, 0.35, 0.1],
]);
const probs4 = a.map((row) => row.map((v, j) => [1 + v * v, 1, 2 + j, 0.5]));
const tril = [
  [1, 0, 0],
  [0.5, 1.2, 0],
  [-0.3, 0.2, 0.8],
];

/** Each family with batch [2, 3]; `parts` are distributions it is built on (freed with it). */
const families: { name: string; make: () => { d: Distribution; parts?: Distribution[] } }[] = [
  { name: 'Normal', make: () => ({ d: new Normal({ loc: a, scale: b }) }) },
  { name: 'Laplace', make: () => ({ d: new Laplace({ loc: a, scale: b }) }) },
  { name: 'Gumbel', make: () => ({ d: new Gumbel({ loc: a, scale: b }) }) },
  { name: 'LogNormal', make: () => ({ d: new LogNormal({ loc: a, scale: b }) }) },
  {
    name: 'Uniform',
    make: () => ({
      d: new Uniform({
        low: a,
        high: [
          [3, 3, 3],
          [4, 4, 4],
        ],
      }),
    }),
  },
  { name: 'Exponential', make: () => ({ d: new Exponential({ rate: b }) }) },
  { name: 'Cauchy', make: () => ({ d: new Cauchy({ loc: a, scale: b }) }) },
  { name: 'StudentT', make: () => ({ d: new StudentT({ df: b, loc: a, scale: 2 }) }) },
  { name: 'HalfCauchy', make: () => ({ d: new HalfCauchy({ scale: b }) }) },
  { name: 'HalfNormal', make: () => ({ d: new HalfNormal({ scale: b }) }) },
  { name: 'Chi2', make: () => ({ d: new Chi2({ df: b }) }) },
  { name: 'FisherSnedecor', make: () => ({ d: new FisherSnedecor({ df1: b, df2: 5 }) }) },
  { name: 'Weibull', make: () => ({ d: new Weibull({ scale: b, concentration: 1.5 }) }) },
  { name: 'Pareto', make: () => ({ d: new Pareto({ scale: 0.1, alpha: b }) }) },
  {
    name: 'Kumaraswamy',
    make: () => ({ d: new Kumaraswamy({ concentration1: b, concentration0: 2 }) }),
  },
  { name: 'VonMises', make: () => ({ d: new VonMises({ loc: a, concentration: b }) }) },
  { name: 'Gamma', make: () => ({ d: new Gamma({ concentration: b, rate: 2 }) }) },
  { name: 'Beta', make: () => ({ d: new Beta({ concentration1: b, concentration0: 1.5 }) }) },
  { name: 'Poisson', make: () => ({ d: new Poisson({ rate: b }) }) },
  { name: 'Bernoulli', make: () => ({ d: new Bernoulli({ probs: p }) }) },
  { name: 'ContinuousBernoulli', make: () => ({ d: new ContinuousBernoulli({ logits: a }) }) },
  { name: 'Geometric', make: () => ({ d: new Geometric({ probs: p }) }) },
  {
    name: 'Binomial',
    make: () => ({
      d: new Binomial({
        totalCount: [
          [3, 5, 8],
          [1, 2, 9],
        ],
        logits: a,
      }),
    }),
  },
  {
    name: 'NegativeBinomial',
    make: () => ({ d: new NegativeBinomial({ totalCount: b, probs: p }) }),
  },
  {
    name: 'RelaxedBernoulli',
    make: () => ({ d: new RelaxedBernoulli({ temperature: 0.5, logits: a }) }),
  },
  {
    name: 'DiscretizedLogistic',
    make: () => ({ d: new DiscretizedLogistic({ loc: p, scale: 0.1 }) }),
  },
  { name: 'Categorical', make: () => ({ d: new Categorical({ probs: probs4 }) }) },
  { name: 'OneHotCategorical', make: () => ({ d: new OneHotCategorical({ logits: probs4 }) }) },
  {
    name: 'OneHotCategoricalStraightThrough',
    make: () => ({ d: new OneHotCategoricalStraightThrough({ probs: probs4 }) }),
  },
  {
    name: 'RelaxedOneHotCategorical',
    make: () => ({ d: new RelaxedOneHotCategorical({ temperature: 0.7, probs: probs4 }) }),
  },
  { name: 'Dirichlet', make: () => ({ d: new Dirichlet({ concentration: probs4 }) }) },
  { name: 'Multinomial', make: () => ({ d: new Multinomial({ totalCount: 6, probs: probs4 }) }) },
  {
    name: 'MultivariateNormal',
    make: () => ({
      d: new MultivariateNormal({
        loc: a.map((row) => row.map((v) => [v, -v, 1])),
        scaleTril: tril,
      }),
    }),
  },
  {
    name: 'LowRankMultivariateNormal',
    make: () => ({
      d: new LowRankMultivariateNormal({
        loc: a.map((row) => row.map((v) => [v, 0, 1])),
        covFactor: [[1], [0.5], [-0.2]],
        covDiag: b.map((row) => row.map((v) => [v, 1, 0.5])),
      }),
    }),
  },
  {
    name: 'Wishart',
    make: () => ({
      d: new Wishart({ df: b.map((row) => row.map((v) => v + 3)), scaleTril: tril }),
    }),
  },
  { name: 'LKJCholesky', make: () => ({ d: new LKJCholesky({ dim: 3, concentration: b }) }) },
  {
    name: 'Independent',
    make: () => {
      const base = new Normal({ loc: a.map((row) => row.map((v) => [v, 2 * v])), scale: 1.5 });
      return { d: new Independent(base, 1), parts: [base] };
    },
  },
  {
    name: 'MixtureSameFamily',
    make: () => {
      const mixture = new Categorical({ logits: a.map((row) => row.map((v) => [v, -v])) });
      const components = new Normal({
        loc: a.map((row) => row.map((v) => [v - 1, v + 1])),
        scale: 0.8,
      });
      return { d: new MixtureSameFamily({ mixture, components }), parts: [mixture, components] };
    },
  },
];

/** Mean where the family defines it, else undefined. */
function meanOf(d: Distribution): tf.Tensor | undefined {
  try {
    return d.mean();
  } catch {
    return undefined;
  }
}

/** Compares `derived` with `original` at `x` after `transform` maps original results. */
function compare(
  original: Distribution,
  derived: Distribution,
  at: {
    x: tf.Tensor;
    value: (x: tf.Tensor) => tf.Tensor;
    result: (t: tf.Tensor, eventRank: number) => tf.Tensor;
  },
): void {
  const { x, value, result } = at;
  tf.tidy(() => {
    const expected = result(original.logProb(x), 0);
    const actual = derived.logProb(value(x));
    expect(actual.shape).toEqual(expected.shape);
    expectClose(actual, expected, { rtol: 1e-5, atol: 1e-5 });
    const mean = meanOf(original);
    if (mean !== undefined)
      expectClose(derived.mean(), result(mean, original.eventShape.length), {
        rtol: 1e-5,
        atol: 1e-6,
      });
  });
}

describe.each(families)('$name batch operations', ({ make }) => {
  it('expand([4, 2, 3]) broadcasts the batch; the result outlives the original', async () => {
    await expectNoLeaks(() => {
      const { d, parts = [] } = make();
      const x = d.sample([], 3);
      const expanded = d.expand([4, 2, 3]);
      expect(expanded).toBeInstanceOf(d.constructor);
      expect(expanded.batchShape).toEqual([4, 2, 3]);
      expect(expanded.eventShape).toEqual(d.eventShape);
      expect(expanded.validateArgs).toBe(d.validateArgs);
      const tile = (t: tf.Tensor) => tf.broadcastTo(t, [4, ...t.shape]);
      compare(d, expanded, { x, value: (v) => v, result: tile });
      const expected = tf.tidy(() => tile(d.logProb(x)));
      d.dispose();
      for (const part of parts) part.dispose();
      const after = expanded.logProb(x); // still valid: the expanded one owns its tensors
      expectClose(after, expected, { rtol: 1e-5, atol: 1e-5 });
      expanded.dispose();
      tf.dispose([x, expected, after]);
    });
  });

  it('slice and index take sub-batches (negative indices count from the end)', async () => {
    await expectNoLeaks(() => {
      const { d, parts = [] } = make();
      const x = d.sample([], 5);
      const sliced = d.slice([1], [1]);
      expect(sliced.batchShape).toEqual([1, 3]);
      const rank = d.eventShape.length;
      const sliceBatch = (begin: number[], size: number[]) => (t: tf.Tensor, eventRank: number) =>
        tf.slice(
          t,
          [...begin, ...new Array<number>(t.rank - begin.length).fill(0)],
          [...size, ...new Array<number>(t.rank - size.length).fill(-1)]
            .slice(0, t.rank - eventRank)
            .concat(new Array<number>(eventRank).fill(-1)),
        );
      compare(d, sliced, {
        x,
        value: (v) => sliceBatch([1], [1])(v, rank),
        result: sliceBatch([1], [1]),
      });
      const corner = d.slice([0, 1], [2, 2]);
      expect(corner.batchShape).toEqual([2, 2]);
      compare(d, corner, {
        x,
        value: (v) => sliceBatch([0, 1], [2, 2])(v, rank),
        result: sliceBatch([0, 1], [2, 2]),
      });
      const row = d.index(1);
      expect(row.batchShape).toEqual([3]);
      const pick = (axis: number, i: number) => (t: tf.Tensor) =>
        tf.squeeze(
          tf.slice(
            t,
            t.shape.map((_, k) => (k === axis ? i : 0)),
            t.shape.map((n, k) => (k === axis ? 1 : n)),
          ),
          [axis],
        );
      compare(d, row, { x, value: pick(0, 1), result: pick(0, 1) });
      const column = d.index(-1, 1);
      expect(column.batchShape).toEqual([2]);
      compare(d, column, { x, value: pick(1, 2), result: pick(1, 2) });
      for (const derived of [sliced, corner, row, column]) derived.dispose();
      d.dispose();
      for (const part of parts) part.dispose();
      x.dispose();
    });
  });
});

describe('batch operations', () => {
  it('keep a broadcasting scale factor unbroadcast (MultivariateNormal at d = 3, batch [2, 3])', () => {
    const { d } = families.find((f) => f.name === 'MultivariateNormal')!.make();
    const mvn = d as MultivariateNormal;
    const expanded = mvn.expand([50, 2, 3]);
    expect(expanded.scaleTril.shape).toEqual([3, 3]);
    expect(expanded.loc.shape).toEqual([50, 2, 3, 3]);
    expanded.dispose();
    mvn.dispose();
  });

  it('reject shapes that do not broadcast, ranges outside the batch and families without them', () => {
    const d = new Normal({ loc: a, scale: 1 });
    expectVaeError(
      () => d.expand([3, 3]),
      'INVALID_ARGUMENT',
      /Normal\.expand: the batch shape \[2, 3\] does not broadcast to `batchShape` \[3, 3\]/,
    );
    expectVaeError(() => d.expand([3]), 'INVALID_ARGUMENT', /does not broadcast/);
    expectVaeError(
      () => d.slice([1], [2]),
      'INVALID_ARGUMENT',
      /Normal\.slice: axis 0 of the batch shape \[2, 3\] has no range \[1, 3\)/,
    );
    expectVaeError(
      () => d.slice([0, 0, 0]),
      'INVALID_ARGUMENT',
      /Normal\.slice: `begin` must list at most 2/,
    );
    expectVaeError(
      () => d.index(2),
      'INVALID_ARGUMENT',
      /Normal\.index: `index` must be an integer in \[-2, 1\] along batch axis 0/,
    );
    expectVaeError(
      () => d.index(0, 2),
      'INVALID_ARGUMENT',
      /Normal\.index: `axis` must be an integer in \[0, 1\]/,
    );
    d.dispose();
    class Dirac extends Distribution {
      constructor(readonly loc: tf.Tensor) {
        super({ batchShape: loc.shape }, new ParamScope('Dirac'));
      }
      get support() {
        return { description: 'real', check: (x: tf.Tensor) => tf.cast(tf.onesLike(x), 'bool') };
      }
      logProb(): tf.Tensor {
        return tf.zeros(this.batchShape);
      }
      protected draw(): tf.Tensor {
        return this.loc.clone();
      }
    }
    const loc = tf.tensor1d([1, 2]);
    const dirac = new Dirac(loc);
    expectVaeError(
      () => dirac.expand([3, 2]),
      'UNSUPPORTED',
      /Dirac\.expand: not defined for this family/,
    );
    expectVaeError(() => dirac.index(0), 'UNSUPPORTED', /Dirac\.index/);
    loc.dispose();
  });
});
