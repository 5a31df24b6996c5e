import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Conv2d, ConvTranspose2d, Flatten, Reshape } from '../src/index.js';

const target = (shape: number[]) => tf.randomNormal(shape, 0, 1, 'float32', 99);

describe.each([
  { stride: 1, padding: 'same' as const },
  { stride: 2, padding: 'same' as const },
  { stride: 2, padding: 'valid' as const },
])('Conv2d stride $stride $padding', ({ stride, padding }) => {
  const conv = () =>
    new Conv2d({ inChannels: 2, outChannels: 3, kernelSize: 3, stride, padding, seed: 4 });

  it('matches tfjs conv2d and its output shape', async () => {
    const layer = conv();
    const x = tf.randomNormal([2, 5, 5, 2], 0, 1, 'float32', 1);
    const y = await expectNoLeaks(() => layer.apply(x));
    expect(y.isDisposed).toBe(true);
    tf.tidy(() => {
      const expected = tf.add(
        tf.conv2d(x as tf.Tensor4D, layer.weight, stride, padding),
        layer.bias!,
      );
      expectClose(layer.apply(x), expected);
    });
    tf.dispose(x);
    layer.dispose();
  });

  it('gradients match finite differences (input and filter)', () => {
    const layer = conv();
    const x = tf.randomNormal([2, 5, 5, 2], 0, 1, 'float32', 2);
    const out = tf.tidy(() => layer.apply(x));
    const t = target(out.shape);
    expectGradientsMatch(layer, x, t);
    tf.dispose([x, out, t]);
    layer.dispose();
  });
});

describe.each([
  { stride: 2, padding: 'same' as const, expected: [2, 6, 6, 2] },
  { stride: 2, padding: 'valid' as const, expected: [2, 7, 7, 2] },
  { stride: 1, padding: 'same' as const, expected: [2, 3, 3, 2] },
])('ConvTranspose2d stride $stride $padding', ({ stride, padding, expected }) => {
  const conv = () =>
    new ConvTranspose2d({ inChannels: 3, outChannels: 2, kernelSize: 3, stride, padding, seed: 5 });

  it('output shape and gradients match finite differences', async () => {
    const layer = conv();
    const x = tf.randomNormal([2, 3, 3, 3], 0, 1, 'float32', 3);
    const out = await expectNoLeaks(() => layer.apply(x));
    expect(out.shape).toEqual(expected);
    const t = target(expected);
    expectGradientsMatch(layer, x, t);
    tf.dispose([x, t]);
    layer.dispose();
  });
});

describe("the conv preset's geometry: 4x4 kernels, stride 2, 'same' on even sizes", () => {
  it('Conv2d and ConvTranspose2d gradients match finite differences', () => {
    const down = new Conv2d({ inChannels: 2, outChannels: 3, kernelSize: 4, stride: 2, seed: 4 });
    const up = new ConvTranspose2d({
      inChannels: 3,
      outChannels: 2,
      kernelSize: 4,
      stride: 2,
      seed: 5,
    });
    for (const [layer, shape] of [
      [down, [2, 6, 6, 2]],
      [up, [2, 3, 3, 3]],
    ] as const) {
      const x = tf.randomNormal([...shape], 0, 1, 'float32', 2);
      const out = tf.tidy(() => layer.apply(x));
      const t = target(out.shape);
      expectGradientsMatch(layer, x, t);
      tf.dispose([x, out, t]);
      layer.dispose();
    }
  });
});

/**
 * Gradients of sum(layer(x) * t) with respect to x and the filter match finite
 * differences, and the bias gradient is sum(t) over batch and space.
 */
function expectGradientsMatch(layer: Conv2d | ConvTranspose2d, x: tf.Tensor, t: tf.Tensor): void {
  const lossOfX = (xi: tf.Tensor) => tf.sum(tf.mul(layer.call(xi), t)) as tf.Scalar;
  tf.tidy(() => {
    expectClose(tf.grad(lossOfX)(x), numericGradient(lossOfX, x, 1e-2), {
      rtol: 1e-2,
      atol: 1e-2,
    });
    const w0 = tf.clone(layer.weight);
    const lossOfW = (w: tf.Tensor) => {
      layer.weight.assign(w as tf.Tensor4D);
      return tf.sum(tf.mul(layer.call(x), t)) as tf.Scalar;
    };
    const numeric = numericGradient(lossOfW, w0, 1e-2);
    layer.weight.assign(w0);
    const { grads } = tf.variableGrads(() => lossOfX(x), layer.trainableVariables);
    expectClose(grads[layer.weight.name]!, numeric, { rtol: 1e-2, atol: 1e-2 });
    expectClose(grads[layer.bias!.name]!, tf.sum(t, [0, 1, 2]));
  });
}

describe('Reshape and Flatten', () => {
  it('keep the batch axis', async () => {
    const x = tf.zeros([4, 6]);
    expect((await expectNoLeaks(() => new Reshape([2, 3]).apply(x))).shape).toEqual([4, 2, 3]);
    const y = tf.zeros([4, 2, 3, 1]);
    expect((await expectNoLeaks(() => new Flatten().apply(y))).shape).toEqual([4, 6]);
    tf.dispose([x, y]);
  });
});

describe('the inference pass (no gradient recorded: bias added inside the conv kernel)', () => {
  const layers = [
    () => new Conv2d({ inChannels: 2, outChannels: 3, kernelSize: 3, seed: 4 }),
    () => new Conv2d({ inChannels: 2, outChannels: 3, kernelSize: 4, stride: 2, seed: 4 }),
    () => new ConvTranspose2d({ inChannels: 3, outChannels: 2, kernelSize: 4, stride: 2, seed: 5 }),
    () =>
      new ConvTranspose2d({
        inChannels: 3,
        outChannels: 2,
        kernelSize: 3,
        stride: 2,
        padding: 'valid',
        seed: 5,
      }),
  ];
  it.each(layers.map((make, i) => [i, make] as const))(
    "layer %i gives the training pass's values, a nonzero bias included",
    async (_, make) => {
      const layer = make();
      layer.bias!.assign(tf.randomNormal([layer.outChannels], 0, 1, 'float32', 7) as tf.Tensor1D);
      const x = tf.randomNormal([2, 6, 6, layer.inChannels], 0, 1, 'float32', 8);
      const inference = await expectNoLeaks(() => layer.apply(x));
      expect(inference.isDisposed).toBe(true);
      tf.tidy(() => {
        let recorded: tf.Tensor | undefined;
        tf.variableGrads(() => {
          const y = layer.apply(x);
          recorded = tf.keep(tf.clone(y));
          return tf.sum(y) as tf.Scalar;
        }, layer.trainableVariables);
        const value = layer.apply(x);
        expect(value.shape).toEqual(recorded!.shape);
        expectClose(value, recorded!, { rtol: 1e-5, atol: 1e-5 });
        // The bias is there: without it every value moves by the bias of its channel.
        const withoutBias = tf.sub(recorded!, layer.bias!);
        expect(tf.max(tf.abs(tf.sub(value, withoutBias))).dataSync()[0]).toBeGreaterThan(0.1);
      });
      tf.dispose(x);
      layer.dispose();
    },
  );
});
