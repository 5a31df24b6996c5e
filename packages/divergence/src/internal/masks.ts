import * as tf from '@tensorflow/tfjs-core';

/**
 * Wraps a boolean-valued function so that gradients never flow through it.
 *
 * tfjs registers no gradient for comparisons (`Greater`, `LogicalAnd`, ...), so a
 * mask computed from a differentiated tensor makes `tf.grad` throw. Computing
 * the mask inside a `customGrad` whose gradient is zero hides those ops from the
 * tape while leaving `tf.where(mask, a, b)` differentiable in `a` and `b`.
 */
export function withoutGradient(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
): (...inputs: tf.Tensor[]) => tf.Tensor {
  const wrapped = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const inputs = args.filter((arg): arg is tf.Tensor => arg instanceof tf.Tensor);
    return {
      value: f(...inputs),
      gradFunc: () => inputs.map((input) => tf.zerosLike(input)),
    };
  });
  return (...inputs) => wrapped(...inputs);
}

/** `x > 0`, elementwise, as a gradient-free boolean mask. */
export const isPositive: (x: tf.Tensor) => tf.Tensor = withoutGradient((x) => tf.greater(x, 0));

/** `x > -Infinity` (a log-probability of a positive probability), gradient-free. */
export const isAboveMinusInfinity: (x: tf.Tensor) => tf.Tensor = withoutGradient((x) =>
  tf.greater(x, Number.NEGATIVE_INFINITY),
);

/** `a > 0 || b > 0` as a gradient-free boolean mask. */
export const eitherPositive: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor = withoutGradient((a, b) =>
  tf.logicalOr(tf.greater(a!, 0), tf.greater(b!, 0)),
);

/** `a > 0 && !(b > 0)` as a gradient-free boolean mask. */
export const positiveWhereOtherIsNot: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor = withoutGradient(
  (a, b) => tf.logicalAnd(tf.greater(a!, 0), tf.logicalNot(tf.greater(b!, 0))),
);

/** `a > 0 && b > 0` as a gradient-free boolean mask. */
export const bothPositive: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor = withoutGradient((a, b) =>
  tf.logicalAnd(tf.greater(a!, 0), tf.greater(b!, 0)),
);

/**
 * `log(x)` with `log(0) = -Infinity` and a finite (zero) gradient at 0: the
 * "safe where" trick substitutes 1 before the log so the masked branch's
 * derivative is never `0 / 0`.
 */
export function safeLog(x: tf.Tensor): tf.Tensor {
  const positive = isPositive(x);
  return tf.where(positive, tf.log(tf.where(positive, x, 1)), Number.NEGATIVE_INFINITY);
}

/** `sqrt(x)` for `x >= 0` with a zero (instead of infinite) gradient at 0. */
export function safeSqrt(x: tf.Tensor): tf.Tensor {
  const positive = isPositive(x);
  return tf.where(positive, tf.sqrt(tf.where(positive, x, 1)), 0);
}
