import * as tf from '@tensorflow/tfjs-core';
import { withoutGradient } from './internal/masks.js';
import { type TensorInput, toFloatTensor } from './internal/validate.js';

// tfjs's Log1p kernel is log(1 + x) on the wasm and WebGL backends, so it returns 0 for
// |x| < 6e-8 and has a relative error of order eps / |x| below 1e-2. Here:
// - |x| < 0.1: 2 atanh(s) = 2 s (1 + s^2/3 + s^4/5 + s^6/7), s = x / (2 + x) (|s| < 0.053, so
//   the truncation is below 3e-9 relative). No log at all: WebGL's log (SwiftShader's, and
//   mobile GPUs') has an absolute error that swamps log(u) for u near 1.
// - 0.1 <= |x| < 0.5: u = fl(1 + x) with its rounding error corrected: u - 1 is exact
//   (Sterbenz), and log(u) - ((u - 1) - x) / u = log(1 + x) to first order.
// - |x| >= 0.5: log(1 + x) (1 + x is exact below -0.5, and far from 1 above 0.5).
// Each step is a separate tfjs op, so WebGL writes it to a texture and no compiler can fold
// (1 + x) - 1 into x.

const SERIES = 0.1;
const SMALL = 0.5;

const isSeries = withoutGradient((x) => tf.less(tf.abs(x!), SERIES));
const isSmall = withoutGradient((x) => tf.less(tf.abs(x!), SMALL));
const isMinusOne = withoutGradient((x) => tf.equal(x!, -1));

function log1p_(x: TensorInput): tf.Tensor {
  const t = toFloatTensor({ fn: 'log1p', name: 'x' }, x);
  const series = isSeries(t);
  const small = isSmall(t);
  // Each branch sees a harmless value where it is not taken, so its gradient stays finite.
  const tiny = tf.where(series, t, tf.zerosLike(t));
  const s = tf.div(tiny, tf.add(tiny, 2));
  const s2 = tf.square(s);
  const odd = tf.add(tf.mul(tf.add(tf.mul(tf.add(tf.mul(s2, 1 / 7), 1 / 5), s2), 1 / 3), s2), 1);
  const atanh = tf.mul(tf.mul(s, odd), 2);
  const safe = tf.where(small, t, tf.zerosLike(t));
  const u = tf.add(safe, 1);
  const corrected = tf.sub(tf.log(u), tf.div(tf.sub(tf.sub(u, 1), safe), u));
  const direct = tf.log(tf.add(tf.where(small, tf.onesLike(t), t), 1));
  const value = tf.where(series, atanh, tf.where(small, corrected, direct));
  // log(0) is -Infinity on cpu and wasm but large and finite on WebGL: set it explicitly.
  return tf.where(isMinusOne(t), tf.fill(t.shape, Number.NEGATIVE_INFINITY), value);
}

const log1pOp = tf.op({ log1p_ });

/**
 * `log(1 + x)` elementwise, accurate to float32 rounding for tiny `x` on every backend
 * (tfjs's `tf.log1p` is computed as `log(1 + x)` on wasm and WebGL: 0 at `x = 1e-10`).
 * `log1p(-1) = -Infinity`, NaN below -1. Differentiable: the gradient is `1 / (1 + x)`.
 *
 * @param x - Any shape; a tensor (not disposed) or a number or (nested) array.
 * @returns A float32 tensor of the shape of `x`, owned by the caller.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { log1p } from '@vae/divergence';
 *
 * // print() would round 1e-10 to 0, so read the values:
 * const values = log1p(tf.tensor([1e-10, -0.5, 3])).dataSync();
 * console.log(...values); // -> 1.000e-10 -0.6931472 1.3862944
 * ```
 */
export function log1p(x: TensorInput): tf.Tensor {
  return log1pOp(x);
}
