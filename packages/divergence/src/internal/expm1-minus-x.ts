import * as tf from '@tensorflow/tfjs-core';
import { kernelOp } from '../kernel-op.js';

// 1/k! for k = 2..10: the Taylor series of e^x - 1 - x.
const COEFFICIENTS = [
  1 / 2,
  1 / 6,
  1 / 24,
  1 / 120,
  1 / 720,
  1 / 5040,
  1 / 40320,
  1 / 362880,
  1 / 3628800,
];
const SERIES_LIMIT = 0.5;

/** The series with tfjs ops, for every backend (exported for the test against the host loop). */
export function series(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const large = tf.greaterEqual(tf.abs(x), SERIES_LIMIT);
    const safe = tf.where(large, tf.zerosLike(x), x);
    let series = tf.scalar(COEFFICIENTS[COEFFICIENTS.length - 1]!);
    for (let k = COEFFICIENTS.length - 2; k >= 0; k--) {
      series = tf.add(COEFFICIENTS[k]!, tf.mul(safe, series));
    }
    const near = tf.mul(tf.square(safe), series);
    const far = tf.sub(tf.sub(tf.exp(x), 1), x);
    return tf.where(large, far, near);
  });
}

// Where tensors live in host memory (the cpu and wasm backends), the same float32
// arithmetic in one JavaScript loop: `Math.fround` after every operation rounds each
// exactly as tfjs's float32 kernels do (a double holds the exact sum or product of two
// floats, so one rounding gives the float32 result), and e^x comes from tfjs's own Exp
// kernel. The same values to the bit as `series` (a test compares them), one kernel
// instead of ~25 (0.30-0.56 ms -> ~0.08 for [128, 20] on wasm).
const HOST_BACKENDS = new Set(['cpu', 'wasm']);
const ROUNDED_COEFFICIENTS = COEFFICIENTS.map(Math.fround);
const LAST = ROUNDED_COEFFICIENTS.length - 1;

/** The series in one host loop, for the cpu and wasm backends. */
export function seriesOnHost(x: tf.Tensor): tf.Tensor {
  const exp = tf.exp(x);
  const values = x.dataSync();
  const exps = exp.dataSync();
  exp.dispose();
  const out = new Float32Array(values.length);
  const round = Math.fround;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // NaN fails the test and takes the series, as in `series` (NaN either way).
    if (Math.abs(v) >= SERIES_LIMIT) {
      out[i] = round(round(exps[i]! - 1) - v);
      continue;
    }
    let s = ROUNDED_COEFFICIENTS[LAST]!;
    for (let k = LAST - 1; k >= 0; k--) s = round(ROUNDED_COEFFICIENTS[k]! + round(v * s));
    out[i] = round(round(v * v) * s);
  }
  return tf.tensor(out, x.shape, 'float32');
}

/**
 * One registered kernel with its gradient d/dx = e^x - 1 = value + x: the ~20 ops of the
 * series (or the host loop) stay off the gradient tape (recorded, each saved its inputs and ran a backward
 * op: ~150 kernels per training step of the MLP VAE, for a [128, 20] tensor).
 */
const op = kernelOp({
  kernelName: 'VaeExpm1MinusX',
  forward: ({ x }) => [HOST_BACKENDS.has(tf.getBackend()) ? seriesOnHost(x!) : series(x!)],
  inputsToSave: ['x'],
  outputsToSave: [true],
  gradient: ([dy], [x, y]) => ({ x: () => tf.mul(dy!, tf.add(y!, x!)) }),
});

/**
 * e^x - 1 - x elementwise, accurate to float32 precision everywhere: the Gaussian
 * KL terms are sums of it, and computed as exp(x) - 1 - x it loses every digit
 * as x -> 0 (a posterior whose variance nears the prior's). A Taylor series of
 * nine terms for |x| < 0.5 (truncation error below 1e-8 relative), the direct
 * form beyond; differentiable, with the gradient e^x - 1 from the same terms.
 */
export function expm1MinusX(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => op({ x: x.dtype === 'float32' ? x : tf.cast(x, 'float32') }, {})[0]!);
}
