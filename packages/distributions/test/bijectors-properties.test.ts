// Property tests of every bijector (fast-check, fixed seeds): round trips with and without the
// cache, log-dets against finite-difference Jacobians, forward and inverse log-dets agreeing,
// gradients against finite differences, and no leaked tensors.
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Affine,
  type Bijector,
  bijectTo,
  Chain,
  CorrCholesky,
  constraints,
  Exp,
  Identity,
  Invert,
  Permute,
  Power,
  Reshape,
  Scale,
  Shift,
  Sigmoid,
  SoftmaxCentered,
  Softplus,
  StickBreaking,
  Tanh,
} from '../src/index.js';
import { logAbsDet, numericJacobian } from './helpers/jacobian.js';

/** One bijector under test: how to build it, one input's shape and the range of its entries. */
interface Spec {
  make: (cache: boolean) => Bijector;
  shape: number[];
  range: [number, number];
  /** The free coordinates of a (flattened) output, where the codomain is embedded. */
  square?: (y: number[]) => number[];
}

const dropLast = (y: number[]) => y.slice(0, -1);
/** The strictly lower triangle of a flattened 4 x 4 matrix, row by row. */
const strictlyLower4 = (y: number[]) => [4, 8, 9, 12, 13, 14].map((i) => y[i]!);

// Parameters are numbers, so each bijector owns (and its dispose frees) its tensors; the chains
// below are built by bijectTo (which owns its parts) or free their parts in the test.
const specs: Record<string, Spec> = {
  Identity: { make: (cache) => new Identity({ cache }), shape: [3], range: [-5, 5] },
  Shift: { make: (cache) => new Shift({ shift: [1, -2, 0.5], cache }), shape: [3], range: [-5, 5] },
  Scale: { make: (cache) => new Scale({ scale: [2, -0.5, 3], cache }), shape: [3], range: [-5, 5] },
  AffineEventRank1: {
    make: (cache) => new Affine({ shift: [1, 2, 3], scale: [0.5, -2, 1.5], eventRank: 1, cache }),
    shape: [3],
    range: [-5, 5],
  },
  AffineTril: {
    make: (cache) =>
      new Affine({
        shift: [1, -1, 0],
        scaleTril: [
          [2, 0, 0],
          [0.5, -1.5, 0],
          [-1, 0.3, 0.8],
        ],
        cache,
      }),
    shape: [3],
    range: [-5, 5],
  },
  Exp: { make: (cache) => new Exp({ cache }), shape: [3], range: [-4, 4] },
  Softplus: { make: (cache) => new Softplus({ cache }), shape: [3], range: [-5, 5] },
  Sigmoid: { make: (cache) => new Sigmoid({ cache }), shape: [3], range: [-3, 3] },
  Tanh: { make: (cache) => new Tanh({ cache }), shape: [3], range: [-2, 2] },
  Power: {
    make: (cache) => new Power({ exponent: [0.5, 2, -1.5], cache }),
    shape: [3],
    range: [0.25, 4],
  },
  Reshape: {
    make: (cache) => new Reshape({ eventShapeIn: [6], eventShapeOut: [2, 3], cache }),
    shape: [6],
    range: [-5, 5],
  },
  Permute: {
    make: (cache) => new Permute({ permutation: [2, 0, 3, 1], cache }),
    shape: [4],
    range: [-5, 5],
  },
  InvertSigmoid: {
    make: (cache) => new Invert(new Sigmoid(), { cache }),
    shape: [3],
    range: [0.05, 0.95],
  },
  StickBreaking: {
    make: (cache) => new StickBreaking({ cache }),
    shape: [3],
    range: [-3, 3],
    square: dropLast,
  },
  SoftmaxCentered: {
    make: (cache) => new SoftmaxCentered({ cache }),
    shape: [3],
    range: [-3, 3],
    square: dropLast,
  },
  CorrCholesky: {
    make: (cache) => new CorrCholesky({ cache }),
    shape: [6],
    range: [-2, 2],
    square: strictlyLower4,
  },
  'bijectTo(greaterThan(1))': {
    // Chain([Exp, Affine]), owning its parts.
    make: () => bijectTo(constraints.greaterThan(1)),
    shape: [3],
    range: [-3, 3],
  },
};

/** Inputs on a grid of 2^-12, so x ± 2^-10 is exact in float32 and differences are exact. */
const quantize = (v: number) => Math.round(v * 4096) / 4096;
const STEP = 1 / 1024;

function inputs(spec: Spec): fc.Arbitrary<number[]> {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const [min, max] = spec.range;
  const entry = fc.double({ min, max, noNaN: true }).map(quantize);
  return fc.array(entry, { minLength: size, maxLength: size });
}

function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

/** sum(w * f(x)) with fixed weights, the scalar whose gradient is checked. */
function weighted(f: (x: tf.Tensor) => tf.Tensor): (x: tf.Tensor) => tf.Scalar {
  return (x) =>
    tf.tidy(() => {
      const y = f(x);
      const w = tf.reshape(tf.linspace(0.5, 1.5, y.size), y.shape);
      return tf.sum(tf.mul(y, w)) as tf.Scalar;
    });
}

function checkGradient(f: (x: tf.Tensor) => tf.Tensor, at: number[], shape: number[]): void {
  const x = tf.tensor(at, shape);
  const analytic = tf.grad(weighted(f))(x);
  const numeric = numericGradient(weighted(f), x, STEP);
  expectClose(analytic, numeric, { rtol: 5e-3, atol: 5e-3 });
  tf.dispose([x, analytic]);
}

const RUNS = { numRuns: 12, seed: 2024 };

describe('bijector properties (fast-check, 12 inputs per bijector)', () => {
  for (const [name, spec] of Object.entries(specs)) {
    describe(name, () => {
      it('inverse(forward(x)) = x: exactly with the cache, to float32 accuracy without', async () => {
        await expectNoLeaks(() => {
          const cached = spec.make(true);
          const uncached = spec.make(false);
          fc.assert(
            fc.property(inputs(spec), (at) => {
              const x = tf.tensor(at, spec.shape);
              const y = cached.forward(x);
              const back = cached.inverse(y);
              expect(back).not.toBe(x);
              expect(values(back)).toEqual(values(x));
              const again = cached.forward(back);
              const y2 = cached.forward(x);
              const yBack = cached.inverse(y2);
              expect(values(yBack)).toEqual(values(x));
              const yFresh = uncached.forward(x);
              const recomputed = uncached.inverse(yFresh);
              expectClose(recomputed, values(x), { rtol: 1e-3, atol: 1e-3 });
              expectClose(again, values(y), { rtol: 1e-5, atol: 1e-6 });
              tf.dispose([x, y, back, again, y2, yBack, yFresh, recomputed]);
            }),
            RUNS,
          );
          cached.dispose();
          uncached.dispose();
        });
      });

      it('forwardLogDetJacobian is log |det| of the finite-difference Jacobian', async () => {
        await expectNoLeaks(() => {
          const bijector = spec.make(false);
          fc.assert(
            fc.property(inputs(spec), (at) => {
              const jacobian = numericJacobian(
                bijector,
                { values: at, shape: spec.shape },
                { step: STEP, ...(spec.square === undefined ? {} : { square: spec.square }) },
              );
              expect(jacobian.length).toBe(jacobian[0]!.length);
              const logDet = tf.tidy(() =>
                bijector.forwardLogDetJacobian(tf.tensor(at, spec.shape)),
              );
              const total = values(logDet).reduce((a, b) => a + b, 0);
              logDet.dispose();
              expectClose(total, logAbsDet(jacobian), { rtol: 1e-3, atol: 2e-3 });
            }),
            RUNS,
          );
          bijector.dispose();
        });
      });

      it('forwardLogDetJacobian(x) = -inverseLogDetJacobian(forward(x))', async () => {
        await expectNoLeaks(() => {
          const bijector = spec.make(false);
          fc.assert(
            fc.property(inputs(spec), (at) => {
              const x = tf.tensor(at, spec.shape);
              const y = bijector.forward(x);
              const forwardLogDet = bijector.forwardLogDetJacobian(x);
              const inverseLogDet = bijector.inverseLogDetJacobian(y);
              expect(inverseLogDet.shape).toEqual(forwardLogDet.shape);
              expectClose(
                values(inverseLogDet).map((v) => -v),
                forwardLogDet,
                { rtol: 1e-3, atol: 1e-4 },
              );
              tf.dispose([x, y, forwardLogDet, inverseLogDet]);
            }),
            RUNS,
          );
          bijector.dispose();
        });
      });

      it('gradients of forward, inverse and the log-det agree with finite differences', async () => {
        await expectNoLeaks(() => {
          const bijector = spec.make(false);
          fc.assert(
            fc.property(inputs(spec), (at) => {
              checkGradient((x) => bijector.forward(x), at, spec.shape);
              checkGradient((x) => bijector.forwardLogDetJacobian(x), at, spec.shape);
              const y = tf.tidy(() => bijector.forward(tf.tensor(at, spec.shape)));
              const yShape = y.shape;
              const yValues = values(y).map((v) => Math.round(v * 2 ** 20) / 2 ** 20);
              y.dispose();
              checkGradient((t) => bijector.inverse(t), yValues, yShape);
            }),
            { ...RUNS, numRuns: 4 },
          );
          bijector.dispose();
        });
      });
    });
  }

  it('gradients flow to the parameters (tf.Variable) of a bijector', async () => {
    await expectNoLeaks(() => {
      const initial = [
        tf.tensor([0.3, -0.7]),
        tf.tensor2d([
          [1.5, 0],
          [0.4, 0.8],
        ]),
      ];
      const shift = tf.variable(initial[0]!);
      const scaleTril = tf.variable(initial[1]!);
      const affine = new Affine({ shift, scaleTril, cache: false });
      const x = tf.tensor2d([
        [0.5, -1],
        [2, 0.25],
      ]);
      const y = tf.tensor2d([
        [1, 2],
        [-0.5, 0.3],
      ]);
      const loss = () =>
        tf.tidy(() => {
          const a = tf.sum(tf.mul(affine.forward(x), tf.tensor1d([1, -2])));
          const b = tf.sum(tf.square(affine.inverse(y)));
          return tf.add(tf.add(a, b), tf.sum(affine.forwardLogDetJacobian(x))) as tf.Scalar;
        });
      const { value, grads } = tf.variableGrads(loss, [shift, scaleTril]);
      for (const variable of [shift, scaleTril]) {
        const f = (t: tf.Tensor) => {
          const saved = variable.clone();
          variable.assign(t);
          const result = loss();
          variable.assign(saved);
          saved.dispose();
          return result;
        };
        const numeric = numericGradient(f, variable, STEP);
        const analytic = grads[variable.name]!;
        // Only the lower triangle of scaleTril is read: its upper gradient is 0.
        expectClose(analytic, numeric, { rtol: 5e-3, atol: 5e-3 });
      }
      tf.dispose([value, ...Object.values(grads), x, y, shift, scaleTril, ...initial]);
      affine.dispose();
    });
  });

  it('log-dets are finite where the direct forms underflow', async () => {
    await expectNoLeaks(() => {
      const cases: [Bijector, number[]][] = [
        [new Sigmoid(), [-100, 100]],
        [new Tanh(), [-50, 50]],
        [new Softplus(), [-100, 100]],
        [new StickBreaking(), [-60, 60, 0]],
        [new SoftmaxCentered(), [-60, 60, 0]],
      ];
      for (const [bijector, at] of cases) {
        const logDet = bijector.forwardLogDetJacobian(at);
        for (const value of values(logDet))
          expect(Number.isFinite(value), bijector.name).toBe(true);
        logDet.dispose();
        bijector.dispose();
      }
    });
  });

  it('Chain composes in list order and sums log-dets over the event axes it adds', async () => {
    await expectNoLeaks(() => {
      const shift = new Shift({ shift: 1 });
      const exp = new Exp();
      const chain = new Chain([shift, exp]);
      const y = chain.forward([0, 1]);
      expectClose(y, [Math.E, Math.E ** 2]);
      const stick = new StickBreaking();
      const lifted = new Chain([exp, stick]);
      expect([lifted.domainEventRank, lifted.codomainEventRank]).toEqual([1, 1]);
      const logDet = lifted.forwardLogDetJacobian([[0.5, -1]]);
      const expected = tf.tidy(() =>
        tf.add(tf.sum(tf.tensor([0.5, -1])), stick.forwardLogDetJacobian(tf.exp([[0.5, -1]]))),
      );
      expectClose(logDet, expected);
      tf.dispose([y, logDet, expected]);
      for (const b of [chain, lifted, shift, exp, stick]) b.dispose();
    });
  });
});
