import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { type ConvPadding, convBiasGrad } from '../src/internal/conv-filter-grad.js';
import { convTransposeByConv } from '../src/internal/conv-transpose-by-conv.js';

/** The forward conv's output size along an axis of size `size`. */
function forwardSize(
  size: number,
  { kernel, stride, padding }: { kernel: number; stride: number; padding: ConvPadding },
): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

describe('convTransposeByConv', () => {
  // [out height, out width], kernel [kh, kw], stride, padding: the presets' geometries
  // (4x4/2 same on even and odd sizes, 3 and 4 valid), kernels smaller than, equal to
  // and larger than the stride, and stride 1.
  const cases = [
    { out: [14, 14], kernel: [4, 4], stride: 2, padding: 'same' },
    { out: [28, 28], kernel: [4, 4], stride: 2, padding: 'same' },
    { out: [7, 9], kernel: [4, 4], stride: 2, padding: 'same' },
    { out: [15, 15], kernel: [3, 3], stride: 2, padding: 'valid' },
    { out: [14, 15], kernel: [4, 3], stride: 2, padding: 'valid' },
    { out: [9, 8], kernel: [3, 3], stride: 3, padding: 'same' },
    { out: [10, 10], kernel: [1, 1], stride: 2, padding: 'same' },
    { out: [11, 11], kernel: [5, 5], stride: 3, padding: 'valid' },
    { out: [6, 6], kernel: [3, 3], stride: 1, padding: 'same' },
    { out: [8, 8], kernel: [3, 2], stride: 1, padding: 'valid' },
  ] as const;
  it.each(cases)(
    'equals tf.conv2dTranspose: out $out, kernel $kernel, stride $stride, $padding',
    async ({ out, kernel, stride, padding }) => {
      const [oh, ow] = out;
      const [kh, kw] = kernel;
      const h = forwardSize(oh, { kernel: kh, stride, padding });
      const w = forwardSize(ow, { kernel: kw, stride, padding });
      const x = tf.randomNormal([2, h, w, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
      const filter = tf.randomNormal([kh, kw, 5, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
      const outShape = [2, oh, ow, 5] as const;
      const geometry = { kernel, stride: [stride, stride], padding } as const;
      const ours = await expectNoLeaks(() =>
        convTransposeByConv(x, filter, { ...geometry, outShape }),
      );
      expect(ours.isDisposed).toBe(true);
      tf.tidy(() => {
        const expected = tf.conv2dTranspose(x, filter, [2, oh, ow, 5], stride, padding);
        const value = convTransposeByConv(x, filter, { ...geometry, outShape });
        expect(value.shape).toEqual(expected.shape);
        expectClose(value, expected, { rtol: 1e-5, atol: 1e-5 });
      });
      tf.dispose([x, filter]);
    },
  );
});

describe('convBiasGrad', () => {
  it.each([1, 5])('sums dy over batch and positions (%i channels)', async (channels) => {
    const dy = tf.randomNormal([3, 4, 5, channels], 0, 1, 'float32', 3) as tf.Tensor4D;
    const grad = await expectNoLeaks(() => convBiasGrad(dy));
    expect(grad.shape).toEqual([channels]);
    const values = Array.from(await dy.data());
    const expected = Array.from({ length: channels }, (_, c) =>
      values.reduce((sum, v, i) => (i % channels === c ? sum + v : sum), 0),
    );
    expectClose(
      tf.tidy(() => convBiasGrad(dy)),
      tf.tensor1d(expected),
      {
        rtol: 1e-5,
        atol: 1e-5,
      },
    );
    dy.dispose();
  });
});
