import * as tf from '@tensorflow/tfjs-core';
import { numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import type { FlowLayer } from '../src/index.js';
import { contextFor, FEATURES, FLOW_CASES } from './flow-helpers.js';

const D = FEATURES;

/**
 * A scalar that touches every output of both directions: the forward value and log-det and
 * the inverse value and log-det, weighted so no term cancels by symmetry.
 */
function objective(layer: FlowLayer, x: tf.Tensor, context: tf.Tensor | undefined): tf.Scalar {
  const weights = tf.tensor1d([0.7, -1.3, 0.4]);
  const forward = layer.forwardAndLogDet(x, context);
  const inverse = layer.inverseAndLogDet(x, context);
  return tf.addN([
    tf.sum(tf.mul(forward.y, weights)),
    tf.sum(forward.logDet),
    tf.sum(tf.mul(inverse.x, tf.square(weights))),
    tf.mul(tf.sum(inverse.logDet), 0.5),
  ]) as tf.Scalar;
}

/** Central differences of `f` in entry `index` of `variable` (restored afterwards). */
function finiteDifference(variable: tf.Variable, index: number, f: () => number): number {
  const step = 1e-2;
  const original = variable.dataSync().slice();
  const at = (delta: number) => {
    const values = original.slice();
    values[index]! += delta;
    tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
    return f();
  };
  const result = (at(step) - at(-step)) / (2 * step);
  tf.tidy(() => variable.assign(tf.tensor(original, variable.shape)));
  return result;
}

function expectNear(actual: number, expected: number, what: string): void {
  const bound = 3e-3 + 2e-2 * Math.abs(expected);
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    bound,
  );
}

describe.each(FLOW_CASES.map((c) => [c.name, c] as const))('%s', (_, flowCase) => {
  it('gradients of forward, inverse and both log-dets agree with finite differences', () => {
    const layer = flowCase.build(21);
    const x = tf.randomNormal([4, D], 0, 0.8, 'float32', 22);
    const context = contextFor(flowCase, 4, 23);
    const value = () => tf.tidy(() => objective(layer, x, context).dataSync()[0]!);
    // With respect to every parameter (up to three entries of each)...
    const named = layer.namedParameters();
    if (named.length > 0) {
      const variables = named.map(([, v]) => v);
      const { grads, value: loss } = tf.variableGrads(
        () => objective(layer, x, context),
        variables,
      );
      for (const [name, variable] of named) {
        const analytic = grads[variable.name]!.dataSync();
        for (const index of [0, Math.floor(variable.size / 2), variable.size - 1]) {
          expectNear(
            analytic[index]!,
            finiteDifference(variable, index, value),
            `${name}[${index}]`,
          );
        }
      }
      tf.dispose([loss, ...Object.values(grads)]);
    }
    // ... and to the input.
    const dx = tf.grad((t: tf.Tensor) => objective(layer, t, context))(x);
    const numeric = numericGradient((t) => objective(layer, t, context), x);
    for (const [i, g] of Array.from(dx.dataSync()).entries()) expectNear(g, numeric[i]!, `x[${i}]`);
    if (context !== undefined) {
      const dc = tf.grad((c: tf.Tensor) => objective(layer, x, c))(context);
      const numericC = numericGradient((c) => objective(layer, x, c), context);
      for (const [i, g] of Array.from(dc.dataSync()).entries()) {
        expectNear(g, numericC[i]!, `context[${i}]`);
      }
      dc.dispose();
    }
    tf.dispose([dx, x, context]);
    layer.dispose();
  });
});
