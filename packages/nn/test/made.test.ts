import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  type FlowLayer,
  InverseAutoregressiveFlow,
  MADE,
  MaskedAutoregressiveFlow,
} from '../src/index.js';
import { perturb } from './flow-helpers.js';

/** d out[:, o] / d x [n, D] for every output column o, by automatic differentiation. */
function jacobianColumns(
  f: (x: tf.Tensor) => tf.Tensor,
  x: tf.Tensor,
  outputs: number,
): number[][][] {
  return Array.from({ length: outputs }, (_, o) =>
    tf.tidy(() => {
      // A slice, not a gather: gather's gradient needs UnsortedSegmentSum, which wasm lacks.
      const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.slice(f(t), [0, o], [-1, 1])))(x);
      return grad.arraySync() as number[][];
    }),
  );
}

const ORDERS: [string, number[]][] = [
  ['natural', [0, 1, 2, 3]],
  ['reversed', [3, 2, 1, 0]],
  ['shuffled', [2, 0, 3, 1]],
];

describe('MADE', () => {
  it.each(ORDERS)(
    'is autoregressive in the %s order: output i depends exactly on the inputs before it',
    (_, order) => {
      const made = new MADE({
        features: 4,
        hidden: [32, 32],
        outputsPerFeature: 2,
        order,
        seed: 1,
      });
      const x = tf.randomNormal([3, 4], 0, 1, 'float32', 2);
      const columns = jacobianColumns((t) => made.call(t), x, 8);
      for (const [o, column] of columns.entries()) {
        const i = o % 4; // parameter o / 4 of feature i
        for (let k = 0; k < 4; k++) {
          const dependence = Math.max(...column.map((row) => Math.abs(row[k]!)));
          if (order[k]! >= order[i]!) expect(dependence, `output ${o} on input ${k}`).toBe(0);
          else expect(dependence, `output ${o} on input ${k}`).toBeGreaterThan(0);
        }
      }
      x.dispose();
      made.dispose();
    },
  );

  it('feeds the context to every output without breaking the order', () => {
    const made = new MADE({ features: 3, hidden: [16], contextFeatures: 2, seed: 3 });
    const x = tf.randomNormal([2, 3], 0, 1, 'float32', 4);
    const context = tf.randomNormal([2, 2], 0, 1, 'float32', 5);
    const onContext = jacobianColumns((c) => tf.concat(made.outputs(x, c), -1), context, 6);
    for (const column of onContext) {
      expect(Math.max(...column.flat().map(Math.abs))).toBeGreaterThan(0);
    }
    const onX = jacobianColumns((t) => tf.concat(made.outputs(t, context), -1), x, 6);
    for (const [o, column] of onX.entries()) {
      for (let k = o % 3; k < 3; k++)
        expect(Math.max(...column.map((r) => Math.abs(r[k]!)))).toBe(0);
    }
    tf.dispose([x, context]);
    made.dispose();
  });

  it('draws its hidden degrees from the seed (0 is a seed), recorded in the configuration', () => {
    const degrees = (seed: number) =>
      new MADE({ features: 5, hidden: [12, 12], seed }).getConfig().degrees;
    expect(degrees(0)).toEqual(degrees(0));
    expect(degrees(0)).not.toEqual(degrees(1));
    const config = new MADE({ features: 5, hidden: [12], seed: 7 }).getConfig();
    expect(config).toMatchObject({ features: 5, hidden: [12], order: [0, 1, 2, 3, 4] });
    for (const d of (config.degrees as number[][])[0]!) {
      expect(Number.isInteger(d) && d >= 1 && d <= 4).toBe(true);
    }
  });
});

const AUTOREGRESSIVE: [string, (order: number[]) => FlowLayer][] = [
  [
    'MaskedAutoregressiveFlow',
    (order) => new MaskedAutoregressiveFlow({ features: 4, hidden: [16], order, seed: 8 }),
  ],
  [
    'InverseAutoregressiveFlow',
    (order) => new InverseAutoregressiveFlow({ features: 4, hidden: [16], order, seed: 8 }),
  ],
];

describe.each(AUTOREGRESSIVE)('%s', (_, build) => {
  it.each(ORDERS)('has a triangular Jacobian in the %s order, both ways', (__, order) => {
    const layer = build(order);
    perturb(layer, 9, 0.5);
    const x = tf.randomNormal([3, 4], 0, 1, 'float32', 10);
    for (const direction of ['forward', 'inverse'] as const) {
      const f =
        direction === 'forward'
          ? (t: tf.Tensor) => layer.forwardAndLogDet(t).y
          : (t: tf.Tensor) => layer.inverseAndLogDet(t).x;
      const columns = jacobianColumns(f, x, 4);
      for (const [i, column] of columns.entries()) {
        for (let k = 0; k < 4; k++) {
          const dependence = Math.max(...column.map((row) => Math.abs(row[k]!)));
          if (order[k]! > order[i]!) expect(dependence, `${direction} y${i} on x${k}`).toBe(0);
          if (k === i) expect(dependence).toBeGreaterThan(0);
        }
      }
    }
    x.dispose();
    layer.dispose();
  });
});
