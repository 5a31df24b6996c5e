import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  Affine,
  type Bijector,
  Chain,
  CorrCholesky,
  type Distribution,
  Exp,
  Exponential,
  Independent,
  Invert,
  klDivergence,
  MultivariateNormal,
  Normal,
  Poisson,
  Power,
  Reshape,
  Shift,
  Sigmoid,
  Softplus,
  StickBreaking,
  Tanh,
  TransformedDistribution,
  Uniform,
} from '../src/index.js';
import { expectVaeError } from './helpers/errors.js';
import { checkRsampleGradient, expectMonteCarloMean } from './helpers/properties.js';
import { bijectorReference, checkReferenceCase } from './helpers/reference.js';

/** `d`, whose dispose() also frees the bijectors it was built with (the test owns them). */
function owning(d: TransformedDistribution, parts: Bijector[]): Distribution {
  const dispose = d.dispose.bind(d);
  d.dispose = () => {
    dispose();
    for (const part of parts) part.dispose();
  };
  return d;
}

type Params = Record<string, tf.Tensor>;
const normal = (p: Params) => new Normal({ loc: p.loc!, scale: p.scale! });

const factories: Record<string, (p: Params) => Distribution> = {
  'Normal>Exp': (p) => new TransformedDistribution(normal(p), new Exp()),
  'Normal>Chain(Affine,Sigmoid)': (p) => {
    const affine = new Affine({ shift: 0.5, scale: -2 });
    return owning(new TransformedDistribution(normal(p), new Chain([affine, new Sigmoid()])), [
      affine,
    ]);
  },
  'Independent(Normal)>Exp': (p) =>
    new TransformedDistribution(new Independent(normal(p), 1), new Exp()),
  'MultivariateNormal>Softplus': (p) =>
    new TransformedDistribution(
      new MultivariateNormal({ loc: p.loc!, scaleTril: p.scaleTril! }),
      new Softplus(),
    ),
  'MultivariateNormal>AffineTril': (p) =>
    new TransformedDistribution(
      new MultivariateNormal({ loc: p.loc!, scaleTril: p.scaleTril! }),
      new Affine({ shift: p.shift!, scaleTril: p.bijectorTril! }),
    ),
  'Uniform>Power': (p) =>
    new TransformedDistribution(
      new Uniform({ low: p.low!, high: p.high! }),
      new Power({ exponent: p.exponent! }),
    ),
  'Normal>StickBreaking': (p) => new TransformedDistribution(normal(p), new StickBreaking()),
  'Independent(Normal)>Reshape': (p) =>
    new TransformedDistribution(
      new Independent(normal(p), 1),
      new Reshape({ eventShapeIn: [6], eventShapeOut: [2, 3] }),
    ),
  'Normal>CorrCholesky': (p) => new TransformedDistribution(normal(p), new CorrCholesky()),
  'Exponential>Invert(Exp)': (p) =>
    new TransformedDistribution(new Exponential({ rate: p.rate! }), new Invert(new Exp())),
  'Normal>Tanh': (p) => new TransformedDistribution(normal(p), new Tanh()),
};

describe('TransformedDistribution against torch.distributions (float64)', () => {
  it('has a factory for every reference case, and a case for every factory', () => {
    const types = bijectorReference().transformed.map((c) => c.type);
    expect(types.sort()).toEqual(Object.keys(factories).sort());
  });

  for (const c of bijectorReference().transformed) {
    it(`${c.type}: log_prob${c.cdf === undefined ? '' : ' and cdf'}`, async () => {
      const fields = await checkReferenceCase(c, factories[c.type]!);
      expect(fields).toEqual(c.cdf === undefined ? ['log_prob'] : ['log_prob', 'cdf']);
    });
  }
});

/** A nested array of zeros (the Normal owns the tensor it builds from it). */
const zeros = ([rows, columns]: [number, number]) =>
  Array.from({ length: rows }, () => new Array<number>(columns).fill(0));

describe('TransformedDistribution shapes', () => {
  const cases: {
    name: string;
    make: () => { d: TransformedDistribution; free: () => void };
    batch: number[];
    event: number[];
  }[] = [
    {
      name: 'elementwise bijector keeps the base shapes',
      make: () => {
        const base = new Normal({ loc: zeros([2, 3]), scale: 1 });
        return { d: new TransformedDistribution(base, new Exp()), free: () => base.dispose() };
      },
      batch: [2, 3],
      event: [],
    },
    {
      name: 'a vector bijector reinterprets the last base batch axis',
      make: () => {
        const base = new Normal({ loc: zeros([2, 3]), scale: 1 });
        return {
          d: new TransformedDistribution(base, new StickBreaking()),
          free: () => base.dispose(),
        };
      },
      batch: [2],
      event: [4],
    },
    {
      name: 'an elementwise bijector keeps the base event axes',
      make: () => {
        const base = new Independent(new Normal({ loc: zeros([2, 3]), scale: 1 }), 1);
        return {
          d: new TransformedDistribution(base, new Exp()),
          free: () => base.base.dispose(),
        };
      },
      batch: [2],
      event: [3],
    },
    {
      name: 'a reshape changes the event shape',
      make: () => {
        const base = new Independent(new Normal({ loc: zeros([5, 6]), scale: 1 }), 1);
        const reshape = new Reshape({ eventShapeIn: [6], eventShapeOut: [3, 2] });
        return { d: new TransformedDistribution(base, reshape), free: () => base.base.dispose() };
      },
      batch: [5],
      event: [3, 2],
    },
    {
      name: 'CorrCholesky raises the event rank to 2',
      make: () => {
        const base = new Normal({ loc: zeros([4, 3]), scale: 1 });
        return {
          d: new TransformedDistribution(base, new CorrCholesky()),
          free: () => base.dispose(),
        };
      },
      batch: [4],
      event: [3, 3],
    },
    {
      name: "the bijector's parameters add leading batch axes",
      make: () => {
        const base = new Normal({ loc: 0, scale: 1 });
        const shift = new Shift({ shift: [[1], [2]] });
        return {
          d: new TransformedDistribution(base, shift),
          free: () => {
            base.dispose();
            shift.dispose();
          },
        };
      },
      batch: [2, 1],
      event: [],
    },
  ];

  for (const c of cases) {
    it(`${c.name}: batch ${JSON.stringify(c.batch)}, event ${JSON.stringify(c.event)}`, async () => {
      await expectNoLeaks(() => {
        const { d, free } = c.make();
        expect(d.batchShape).toEqual(c.batch);
        expect(d.eventShape).toEqual(c.event);
        const x = d.sample([7], 3);
        expect(x.shape).toEqual([7, ...c.batch, ...c.event]);
        const logp = d.logProb(x);
        expect(logp.shape).toEqual([7, ...c.batch]);
        for (const value of logp.dataSync()) expect(Number.isFinite(value)).toBe(true);
        tf.dispose([x, logp]);
        d.dispose();
        free();
      });
    });
  }

  it('draws the extra batch axes independently', async () => {
    await expectNoLeaks(() => {
      const base = new Normal({ loc: 0, scale: 1 });
      const shift = new Shift({ shift: [0, 0, 0] });
      const d = new TransformedDistribution(base, shift);
      const x = d.sample([4], 1);
      const columns = tf.tidy(() =>
        tf.unstack(tf.transpose(x)).map((t) => Array.from(t.dataSync())),
      );
      expect(columns[0]).not.toEqual(columns[1]);
      tf.dispose(x);
      d.dispose();
      shift.dispose();
      base.dispose();
    });
  });

  it('rejects bases the bijector cannot take', () => {
    const scalar = new Normal({ loc: 0, scale: 1 });
    expectVaeError(
      () => new TransformedDistribution(scalar, new StickBreaking()),
      /TransformedDistribution: base of shape \[\] .* needs 1 event axes/,
    );
    const column = new Normal({ loc: [[0], [1]], scale: 1 });
    const shift = new Shift({ shift: [1, 2, 3] });
    expectVaeError(
      () => new TransformedDistribution(column, shift),
      /broadcast the base to \[2, 3\]; build the base with that batch shape/,
    );
    const reshape = new Reshape({ eventShapeIn: [4], eventShapeOut: [2, 2] });
    expectVaeError(
      () => new TransformedDistribution(new Independent(column, 1), reshape),
      /do not fit: Reshape.forwardShape: needs a shape ending in \[4\], got \[2, 1\]/,
    );
    expectVaeError(
      () => new TransformedDistribution(scalar, {} as Bijector),
      /`bijector` must be a Bijector/,
    );
    for (const d of [scalar, column, shift]) d.dispose();
  });
});

describe('TransformedDistribution behaviour', () => {
  it('an affine map of a Normal is the Normal with mapped parameters', async () => {
    await expectNoLeaks(() => {
      const d = new TransformedDistribution(
        new Normal({ loc: [1, -1], scale: [0.5, 2] }),
        new Affine({ shift: 2, scale: -3 }),
      );
      const same = new Normal({ loc: [-1, 5], scale: [1.5, 6] });
      const y = tf.tensor2d([
        [0, 1],
        [-3, 12],
        [2.5, -4],
      ]);
      const [a, b] = [d.logProb(y), same.logProb(y)];
      expectClose(a, b);
      const [cdfA, cdfB] = [d.cdf(y), same.cdf(y)];
      expectClose(cdfA, cdfB, { atol: 1e-6 });
      const draws = d.sample([40000], 5);
      const mean = same.mean();
      expectMonteCarloMean(draws, mean);
      tf.dispose([y, a, b, cdfA, cdfB, draws, mean]);
      for (const x of [d, d.base, d.bijector, same]) x.dispose();
    });
  });

  it('icdf inverts cdf, reflected for decreasing bijectors (also with a tensor sign)', async () => {
    await expectNoLeaks(() => {
      const affine = new Affine({ shift: 0.5, scale: -2 });
      const chain = new Chain([affine, new Sigmoid()]);
      const d = new TransformedDistribution(new Normal({ loc: 0.3, scale: 0.7 }), chain);
      const y = tf.tensor1d([0.05, 0.4, 0.9]);
      const p = d.cdf(y);
      const back = d.icdf(p);
      expectClose(back, y, { rtol: 1e-4, atol: 1e-5 });
      // Y = 1 / X with X ~ U(0.5, 2): P(Y <= y) = P(X >= 1 / y) = (2 - 1 / y) / 1.5.
      const power = new Power({ exponent: [-1] });
      const reciprocal = new TransformedDistribution(new Uniform({ low: 0.5, high: 2 }), power);
      const at = [0.6, 1, 1.9];
      const cdf = reciprocal.cdf(at);
      expectClose(
        cdf,
        at.map((v) => (2 - 1 / v) / 1.5),
      );
      tf.dispose([y, p, back, cdf]);
      for (const x of [d, d.base, affine, reciprocal, reciprocal.base, power]) x.dispose();
    });
  });

  it('throws typed errors for what is not defined', () => {
    const base = new Normal({ loc: [0, 0], scale: 1 });
    const simplex = new TransformedDistribution(base, new StickBreaking());
    for (const member of ['mean', 'variance', 'stddev', 'mode'] as const) {
      expectVaeError(
        () => simplex[member](),
        /TransformedDistribution.*not defined/,
        'UNSUPPORTED',
      );
    }
    expectVaeError(() => simplex.entropy(), /not defined/, 'UNSUPPORTED');
    expectVaeError(
      () => simplex.cdf([[0.2, 0.3, 0.5]]),
      /TransformedDistribution.cdf: defined for scalar monotone bijectors only; StickBreaking has event ranks 1 -> 1/,
      'UNSUPPORTED',
    );
    const counts = new TransformedDistribution(new Poisson({ rate: 3 }), new Shift({ shift: 0 }));
    expectVaeError(
      () => counts.rsample([2]),
      /no reparameterized sampler/,
      'NOT_REPARAMETERIZABLE',
    );
    expectVaeError(
      () => new TransformedDistribution(base, new Exp()).logProb([-1, 1]),
      /TransformedDistribution.logProb: `value` must be positive/,
    );
    for (const x of [base, counts.base, counts.bijector]) x.dispose();
  });

  it('rsample gradients reach the base and the bijector parameters', () => {
    const loc = tf.tensor([0.3, -1]);
    const scale = tf.tensor([0.4, 0.9]);
    const sigmoid = new Sigmoid();
    const makeWithLoc = (x: tf.Tensor) =>
      new TransformedDistribution(new Normal({ loc: x, scale, validateArgs: false }), sigmoid);
    checkRsampleGradient(makeWithLoc, loc);
    const factor = tf.tensor([2, -1]);
    const makeWithShift = (x: tf.Tensor) =>
      new TransformedDistribution(
        new Normal({ loc, scale, validateArgs: false }),
        new Affine({ shift: x, scale: factor, validateArgs: false }),
      );
    const shift = tf.tensor([0.5, 0.1]);
    checkRsampleGradient(makeWithShift, shift);
    tf.dispose([loc, scale, factor, shift]);
  });

  it('KL between transformed distributions sharing a bijector is the KL of the bases', async () => {
    await expectNoLeaks(() => {
      const stick = new StickBreaking();
      const p = new TransformedDistribution(new Normal({ loc: [0, 1], scale: [1, 2] }), stick);
      const q = new TransformedDistribution(new Normal({ loc: [1, 0], scale: [2, 1] }), stick);
      const kl = klDivergence(p, q);
      const baseKl = tf.tidy(() => tf.sum(klDivergence(p.base, q.base)));
      expect(kl.shape).toEqual([]);
      expectClose(kl, baseKl);
      const other = new TransformedDistribution(q.base, new StickBreaking());
      expectVaeError(() => klDivergence(p, other), /same bijector object/, 'KL_NOT_REGISTERED');
      tf.dispose([kl, baseKl]);
      for (const d of [p.base, q.base]) d.dispose();
    });
  });
});

/** Sum of exp(logProb) over the midpoints of a grid times the cell area, in chunks. */
function integrate(d: Distribution, points: number[] | number[][], area: number): number {
  let total = 0;
  for (let start = 0; start < points.length; start += 20000) {
    const chunk = points.slice(start, start + 20000);
    total += tf.tidy(() => tf.sum(tf.exp(d.logProb(tf.tensor(chunk)))).dataSync()[0]!) * area;
  }
  return total;
}

describe('TransformedDistribution densities integrate to 1', () => {
  it('1-D: a logit-normal on (0, 1), midpoint rule with 20000 cells', async () => {
    await expectNoLeaks(() => {
      const d = new TransformedDistribution(new Normal({ loc: 0.3, scale: 0.8 }), new Sigmoid());
      const n = 20000;
      const points = Array.from({ length: n }, (_, i) => (i + 0.5) / n);
      const total = integrate(d, points, 1 / n);
      expect(Math.abs(total - 1)).toBeLessThan(1e-4);
      d.dispose();
      d.base.dispose();
    });
  });

  it('2-D: a correlated Gaussian through a lower-triangular affine map and tanh, on (-1, 1)^2', async () => {
    await expectNoLeaks(() => {
      const base = new Independent(new Normal({ loc: [0.2, -0.1], scale: [0.6, 0.5] }), 1);
      const affine = new Affine({
        shift: [0.1, 0],
        scaleTril: [
          [1, 0],
          [0.6, 0.8],
        ],
      });
      const d = new TransformedDistribution(base, new Chain([affine, new Tanh()]));
      const n = 400;
      const h = 2 / n;
      const points: number[][] = [];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) points.push([-1 + (i + 0.5) * h, -1 + (j + 0.5) * h]);
      }
      const total = integrate(d, points, h * h);
      expect(Math.abs(total - 1)).toBeLessThan(1e-4);
      d.dispose();
      affine.dispose();
      base.base.dispose();
    });
  });
});
