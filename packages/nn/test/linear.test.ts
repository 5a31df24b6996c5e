import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  Activation,
  type ActivationName,
  Linear,
  relu,
  Sequential,
  VaeError,
} from '../src/index.js';

const ACTIVATIONS: (ActivationName | undefined)[] = [
  undefined,
  'relu',
  'leakyRelu',
  'sigmoid',
  'elu',
  'tanh',
  'softplus',
];

/** The same layer with tfjs's own ops and gradients, for comparison. */
function reference(layer: Linear, x: tf.Tensor, activation: Activation | undefined): tf.Tensor {
  const pre = tf.add(tf.matMul(x as tf.Tensor2D, layer.weight), layer.bias ?? 0);
  return activation === undefined ? pre : activation.call(pre);
}

describe('Linear', () => {
  it('maps [...batch, in] to [...batch, out]', async () => {
    const layer = new Linear({ inFeatures: 3, outFeatures: 2, seed: 1 });
    const x2 = tf.ones([4, 3]);
    const x3 = tf.ones([5, 4, 3]);
    expect((await expectNoLeaks(() => layer.apply(x2))).shape).toEqual([4, 2]);
    expect((await expectNoLeaks(() => layer.apply(x3))).shape).toEqual([5, 4, 2]);
    tf.dispose([x2, x3]);
    expect(layer.namedParameters().map(([name, v]) => [name, v.shape])).toEqual([
      ['weight', [3, 2]],
      ['bias', [2]],
    ]);
    layer.dispose();
  });

  it('rejects a wrong input width and bad sizes', () => {
    const layer = new Linear({ inFeatures: 3, outFeatures: 2, seed: 1 });
    expect(() => layer.apply(tf.ones([4, 5]))).toThrow(
      /last axis 3, got a tensor of shape \[4,5\]/,
    );
    expect(() => new Linear({ inFeatures: 0, outFeatures: 2 })).toThrow(VaeError);
    layer.dispose();
  });

  it.each(ACTIVATIONS)(
    'fused %s: value and gradient match tfjs and finite differences',
    async (kind) => {
      const layer = new Linear({ inFeatures: 4, outFeatures: 3, seed: 7 });
      const activation = kind === undefined ? undefined : new Activation(kind);
      const x = tf.randomNormal([5, 4], 0, 1, 'float32', 3);
      const target = tf.randomNormal([5, 3], 0, 1, 'float32', 4);
      const loss = (out: tf.Tensor) => tf.sum(tf.mul(out, target)) as tf.Scalar;
      const ours = (xi: tf.Tensor) => loss(layer.callWith(xi, activation));
      const theirs = (xi: tf.Tensor) => loss(reference(layer, xi, activation));
      await expectNoLeaks(() => layer.callWith(x, activation));
      tf.tidy(() => {
        expectClose(ours(x), theirs(x));
        const g1 = tf.variableGrads(() => ours(x));
        const g2 = tf.variableGrads(() => theirs(x));
        for (const name of Object.keys(g2.grads)) expectClose(g1.grads[name]!, g2.grads[name]!);
        const dx1 = tf.grad(ours)(x);
        expectClose(dx1, tf.grad(theirs)(x));
        expectClose(dx1, numericGradient(ours, x, 1e-2), { rtol: 2e-2, atol: 2e-2 });
      });
      tf.dispose([x, target]);
      layer.dispose();
    },
  );

  it.each(['relu', 'sigmoid'] as const)(
    'a wide layer (transposed forward path, %s) matches tfjs',
    (kind) => {
      const layer = new Linear({ inFeatures: 256, outFeatures: 300, seed: 3 });
      const activation = new Activation(kind);
      const x = tf.randomNormal([4, 256], 0, 1, 'float32', 3);
      const target = tf.randomNormal([4, 300], 0, 1, 'float32', 4);
      tf.tidy(() => {
        const loss = (out: tf.Tensor) => tf.sum(tf.mul(out, target)) as tf.Scalar;
        const ours = tf.variableGrads(() => loss(layer.callWith(x, activation)));
        const theirs = tf.variableGrads(() => loss(reference(layer, x, activation)));
        expectClose(ours.value, theirs.value, { rtol: 1e-4, atol: 1e-3 });
        for (const name of Object.keys(theirs.grads)) {
          expectClose(ours.grads[name]!, theirs.grads[name]!, { rtol: 1e-4, atol: 1e-4 });
        }
        expectClose(
          tf.grad((xi: tf.Tensor) => loss(layer.callWith(xi, activation)))(x),
          tf.grad((xi: tf.Tensor) => loss(reference(layer, xi, activation)))(x),
          { rtol: 1e-4, atol: 1e-4 },
        );
      });
      tf.dispose([x, target]);
      layer.dispose();
    },
  );

  it('weight gradient matches finite differences', async () => {
    const layer = new Linear({ inFeatures: 3, outFeatures: 2, seed: 5 });
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 6);
    const f = (w: tf.Tensor) =>
      tf.tidy(() => {
        layer.weight.assign(w as tf.Tensor2D);
        return tf.sum(tf.square(layer.callWith(x, new Activation('tanh')))) as tf.Scalar;
      });
    const w0 = tf.clone(layer.weight);
    const { grads } = tf.variableGrads(() => f(w0), [layer.weight]);
    const numeric = numericGradient(f, w0, 1e-2);
    layer.weight.assign(w0);
    expectClose(grads[layer.weight.name]!, numeric, { rtol: 2e-2, atol: 2e-2 });
    tf.dispose([x, w0, ...Object.values(grads)]);
    layer.dispose();
  });

  it('inputGradient: false trains the weights and makes the input unreachable', async () => {
    const layer = new Linear({ inFeatures: 3, outFeatures: 2, seed: 1, inputGradient: false });
    const x = tf.ones([2, 3]);
    const { grads, value } = await expectNoLeaks(() =>
      tf.variableGrads(() => tf.sum(layer.call(x)) as tf.Scalar),
    );
    expect(value.isDisposed).toBe(true);
    expect(Object.keys(grads)).toHaveLength(2);
    tf.tidy(() => {
      const again = tf.variableGrads(() => tf.sum(layer.call(x)) as tf.Scalar);
      expectClose(again.grads[layer.weight.name]!, [2, 2, 2, 2, 2, 2]);
    });
    expect(() => tf.grad((xi: tf.Tensor) => tf.sum(layer.call(xi)))(x)).toThrow();
    x.dispose();
    layer.dispose();
  });

  it('no bias', () => {
    const layer = new Linear({ inFeatures: 2, outFeatures: 2, bias: false, seed: 1 });
    expect(layer.bias).toBeUndefined();
    expect(layer.parameters()).toHaveLength(1);
    layer.dispose();
  });
});

describe('Sequential', () => {
  it('names parameters hierarchically and fuses Linear + Activation', async () => {
    const net = new Sequential([
      new Linear({ inFeatures: 4, outFeatures: 8, seed: 1 }),
      relu(),
      new Linear({ inFeatures: 8, outFeatures: 2, seed: 2 }),
    ]);
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      '0.weight',
      '0.bias',
      '2.weight',
      '2.bias',
    ]);
    expect(net.parameterCount).toBe(4 * 8 + 8 + 8 * 2 + 2);
    const x = tf.randomNormal([3, 4], 0, 1, 'float32', 1);
    const fused = await expectNoLeaks(() => net.apply(x));
    expect(fused.isDisposed).toBe(true);
    tf.tidy(() => {
      const unfused = net.layers.reduce((h, layer) => layer.call(h), x);
      expectClose(net.apply(x), unfused);
    });
    x.dispose();
    const before = tf.memory().numTensors;
    net.dispose();
    expect(tf.memory().numTensors).toBe(before - 4);
  });
});
