// Shared pieces of the flow tests: the layers under test with non-trivial parameters, a
// host-side numerical Jacobian and log-determinant. The networks use smooth activations
// (tanh, elu) so that finite differences do not straddle a ReLU kink.
import * as tf from '@tensorflow/tfjs-core';
import {
  AffineCoupling,
  type FlowLayer,
  FlowStack,
  flowStack,
  InverseAutoregressiveFlow,
  MaskedAutoregressiveFlow,
  type Module,
  Permutation,
  PlanarFlow,
  RadialFlow,
} from '../src/index.js';

/** Adds seeded N(0, scale^2) noise to every parameter, so zero-initialized layers do something. */
export function perturb(module: Module<unknown>, seed: number, scale = 0.3): void {
  for (const [i, variable] of module.parameters().entries()) {
    tf.tidy(() =>
      variable.assign(
        tf.add(variable, tf.randomNormal(variable.shape, 0, scale, 'float32', seed + i / 1000)),
      ),
    );
  }
}

/** One flow layer under test: how to build it (perturbed) and its context width. */
export interface FlowCase {
  name: string;
  build: (seed: number) => FlowLayer;
  contextFeatures: number;
}

const D = 3;
const C = 2;

function perturbed(layer: FlowLayer, seed: number): FlowLayer {
  perturb(layer, seed);
  return layer;
}

/** Every layer kind on D = 3 features (context width 2 for the conditional ones). */
export const FLOW_CASES: FlowCase[] = [
  {
    name: 'MaskedAutoregressiveFlow',
    build: (s) =>
      perturbed(
        new MaskedAutoregressiveFlow({ features: D, hidden: [8, 8], activation: 'tanh', seed: s }),
        s,
      ),
    contextFeatures: 0,
  },
  {
    name: 'MaskedAutoregressiveFlow with a context and a random order',
    build: (s) =>
      perturbed(
        new MaskedAutoregressiveFlow({
          features: D,
          hidden: [8],
          contextFeatures: C,
          order: [2, 0, 1],
          activation: 'elu',
          seed: s,
        }),
        s,
      ),
    contextFeatures: C,
  },
  {
    name: 'InverseAutoregressiveFlow',
    build: (s) =>
      perturbed(
        new InverseAutoregressiveFlow({ features: D, hidden: [8, 8], activation: 'tanh', seed: s }),
        s,
      ),
    contextFeatures: 0,
  },
  {
    name: 'InverseAutoregressiveFlow with a context',
    build: (s) =>
      perturbed(
        new InverseAutoregressiveFlow({
          features: D,
          hidden: [8],
          contextFeatures: C,
          activation: 'tanh',
          seed: s,
        }),
        s,
      ),
    contextFeatures: C,
  },
  {
    name: 'AffineCoupling',
    build: (s) =>
      perturbed(
        new AffineCoupling({ features: D, hidden: [8], parity: 1, activation: 'tanh', seed: s }),
        s,
      ),
    contextFeatures: 0,
  },
  {
    name: 'PlanarFlow',
    build: (s) => perturbed(new PlanarFlow({ features: D, seed: s }), s),
    contextFeatures: 0,
  },
  {
    name: 'RadialFlow',
    build: (s) => perturbed(new RadialFlow({ features: D, seed: s }), s),
    contextFeatures: 0,
  },
  {
    name: 'Permutation',
    build: () => new Permutation({ permutation: [1, 2, 0] }),
    contextFeatures: 0,
  },
  {
    name: 'FlowStack of every kind',
    build: (s) =>
      perturbed(
        new FlowStack([
          new MaskedAutoregressiveFlow({ features: D, hidden: [8], activation: 'tanh', seed: s }),
          Permutation.reverse(D),
          new InverseAutoregressiveFlow({
            features: D,
            hidden: [8],
            activation: 'tanh',
            seed: s + 1,
          }),
          new AffineCoupling({ features: D, hidden: [8], activation: 'tanh', seed: s + 2 }),
          new PlanarFlow({ features: D, seed: s + 3 }),
          new RadialFlow({ features: D, seed: s + 4 }),
        ]),
        s,
      ),
    contextFeatures: 0,
  },
  {
    name: 'flowStack IAF with a context',
    build: (s) =>
      perturbed(
        flowStack({
          kind: 'iaf',
          features: D,
          layers: 2,
          hidden: [8],
          contextFeatures: C,
          activation: 'tanh',
          seed: s,
        }),
        s,
      ),
    contextFeatures: C,
  },
];

export const FEATURES = D;

/** A seeded context [n, contextFeatures], or undefined for an unconditional case. */
export function contextFor(flowCase: FlowCase, n: number, seed: number): tf.Tensor | undefined {
  return flowCase.contextFeatures === 0
    ? undefined
    : tf.randomNormal([n, flowCase.contextFeatures], 0, 1, 'float32', seed);
}

/**
 * The Jacobian of a row-wise map f: [n, d] -> [n, d] at each row, by central differences in
 * float32: [n][i][k] = d f_i / d x_k.
 */
export function numericJacobian(
  f: (x: tf.Tensor) => tf.Tensor,
  x: tf.Tensor2D,
  step = 1e-3,
): number[][][] {
  const [n, d] = x.shape;
  const jacobian = Array.from({ length: n }, () =>
    Array.from({ length: d }, () => new Array<number>(d).fill(0)),
  );
  for (let k = 0; k < d; k++) {
    const columns = tf.tidy(() => {
      const e = tf.mul(tf.cast(tf.oneHot([k], d), 'float32'), step);
      return tf.div(tf.sub(f(tf.add(x, e)), f(tf.sub(x, e))), 2 * step).arraySync() as number[][];
    });
    for (let row = 0; row < n; row++) {
      for (let i = 0; i < d; i++) jacobian[row]![i]![k] = columns[row]![i]!;
    }
  }
  return jacobian;
}

/** log |det A| in float64 by LU with partial pivoting. */
export function logAbsDet(matrix: number[][]): number {
  const a = matrix.map((row) => [...row]);
  const n = a.length;
  let total = 0;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]![col]!;
    total += Math.log(Math.abs(p));
    for (let r = col + 1; r < n; r++) {
      const factor = a[r]![col]! / p;
      for (let c = col; c < n; c++) a[r]![c]! -= factor * a[col]![c]!;
    }
  }
  return total;
}
