import * as tf from '@tensorflow/tfjs-core';
import { withoutGradient } from './internal/masks.js';
import { type TensorInput, toFloatTensor } from './internal/validate.js';

// tfjs's Log1p kernel is log(1 + x) on the wasm and WebGL backends, so it returns 0 for
// |x| < 6e-8 and has a relative error of order eps / |x| below 1e-2. Here 1 + x is rounded
// as usual and the rounding error is corrected: with u = fl(1 + x), u - 1 is exact for
// |x| < 1/2 (Sterbenz), and log(u) - ((u - 1) - x) / u = log(1 + x) to first order in the
// error. Each step is a separate tfjs op (WebGL writes every op to a texture, so the
// compiler cannot fold (1 + x) - 1 into x), and the correction works in float16 textures too.

const SMALL = 0.5;

const isSmall = withoutGradient((x) => tf.less(tf.abs(x!), SMALL));
const isMinusOne = withoutGradient((x) => tf.equal(x!, -1));

function log1p_(x: TensorInput): tf.Tensor {
  const t = toFloatTensor({ fn: 'log1p', name: 'x' }, x);
  const small = isSmall(t);
  // The corrected branch sees 0 where it is not taken, so its gradient stays finite.
  const safe = tf.where(small, t, tf.zerosLike(t));
  const u = tf.add(safe, 1);
  const corrected = tf.sub(tf.log(u), tf.div(tf.sub(tf.sub(u, 1), safe), u));
  // |x| >= 1/2: 1 + x is exact for x in [-1, -1/2] and log(1 + x) is far from 0 above 1/2.
  const direct = tf.log(tf.add(tf.where(small, tf.onesLike(t), t), 1));
  const value = tf.where(small, corrected, direct);
  // log(0) is -Infinity on cpu and wasm but large and finite on WebGL: set it explicitly.
  return tf.where(isMinusOne(t), tf.fill(t.shape, Number.NEGATIVE_INFINITY), value);
}

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
 * import * as tf from '@tensorflow/tfjs-core';
 * import { log1p } from '@vae/divergence';
 *
 * log1p(tf.tensor([1e-10, -0.5, 3])).print(); // [1e-10, -0.6931472, 1.3862944]
 * ```
 */
export const log1p = tf.op({ log1p_ });
