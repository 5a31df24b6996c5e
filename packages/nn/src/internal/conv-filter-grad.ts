import * as tf from '@tensorflow/tfjs-core';
import { columnSums, simdAvailable, transpose2d } from './simd.js';

/** 'same' or 'valid' padding, as tfjs names them. */
export type ConvPadding = 'same' | 'valid';

/** [before, after] padding of one spatial axis for a stride-`stride` conv from `size` to `outSize`. */
/** Kernel size, stride and padding of a 2-D convolution. */
export interface ConvGeometry {
  kernel: readonly [number, number];
  stride: readonly [number, number];
  padding: ConvPadding;
}

export function padAmounts(
  [size, outSize]: readonly [number, number],
  axis: 0 | 1,
  { kernel: kernels, stride: strides, padding }: ConvGeometry,
): [number, number] {
  if (padding === 'valid') return [0, 0];
  const kernel = kernels[axis];
  const stride = strides[axis];
  const total = Math.max((outSize - 1) * stride + kernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * d loss / d filter of y = conv2d(x, filter, stride, padding) (NHWC, filter
 * [kh, kw, inC, outC]), from x [n, h, w, inC] and dy [n, oh, ow, outC].
 *
 * The wasm backend has no Conv2DBackpropFilter kernel, so this is written with
 * a forward conv: the batch axis becomes the channel axis and the stride
 * becomes a dilation,
 * dW[a, b, i, o] = sum_{n, p, q} xPadded[n, p*s + a, q*s + b, i] * dy[n, p, q, o].
 */
export function convFilterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  geometry: ConvGeometry,
): tf.Tensor4D {
  const { kernel, stride } = geometry;
  const [, height, width, inChannels] = x.shape;
  const [, outHeight, outWidth, outChannels] = dy.shape;
  const [kh, kw] = kernel;
  const padH = padAmounts([height, outHeight], 0, geometry);
  const padW = padAmounts([width, outWidth], 1, geometry);
  const padded = tf.pad(x, [[0, 0], padH, padW, [0, 0]]);
  const input = channelsToBatch(padded); // [inC, hp, wp, n]
  const filter = tf.transpose(dy, [1, 2, 0, 3]); // [oh, ow, n, outC]
  const full = tf.conv2d(input, filter, 1, 'valid', 'NHWC', [stride[0], stride[1]]);
  const cropped = tf.slice(full, [0, 0, 0, 0], [inChannels, kh, kw, outChannels]);
  return tf.transpose(cropped, [1, 2, 0, 3]);
}

/**
 * x [n, h, w, c] -> [c, h, w, n]. With several channels on wasm, as the SIMD 2-D
 * transpose of [n, h*w*c] and a transpose that moves whole rows of n: 3.0 ms for
 * [128, 16, 16, 32] here against 7.1 for tfjs-wasm's Transpose, which walks the
 * output with the input's innermost axis outermost. One channel: tfjs's (0.3 ms).
 */
function channelsToBatch(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  if (c === 1 || !simdAvailable()) return tf.transpose(x, [3, 1, 2, 0]);
  return tf.tidy(() => {
    const pixelsByBatch = transpose2d(tf.reshape(x, [n, h * w * c])); // [h*w*c, n]
    const channelsFirst = tf.transpose(tf.reshape(pixelsByBatch, [h * w, c, n]), [1, 0, 2]);
    return tf.reshape(channelsFirst, [c, h, w, n]);
  });
}

/**
 * d loss / d bias of a convolution, the sum of dy [n, h, w, c] over batch and positions
 * -> [c]: on wasm one SIMD pass over dy viewed as [n*h*w, c] (tfjs-wasm's sum over axes
 * [0, 1, 2] transposes first: 4.7 ms for a new [128, 14, 14, 32]; a product with a row
 * of ones repacks dy, 3.5 ms). Elsewhere ones [1, n*h*w] @ dy (63 -> 2.3 ms on cpu),
 * or the plain sum for one channel.
 */
export function convBiasGrad(dy: tf.Tensor4D): tf.Tensor1D {
  const [n, h, w, channels] = dy.shape;
  const rows = n * h * w;
  return tf.tidy(() => {
    const flat = tf.reshape(dy, [rows, channels]) as tf.Tensor2D;
    const sums = columnSums(flat);
    if (sums !== undefined) return sums;
    return channels === 1
      ? tf.reshape(tf.sum(dy), [1])
      : tf.reshape(tf.matMul(tf.ones([1, rows]), flat), [channels]);
  });
}
