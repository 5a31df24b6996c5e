// Closed forms of the continuous Bernoulli written in its logits l = log(λ / (1 - λ)), so that
// logits of ±30 (λ within 1e-13 of 0 or 1, which float32 probabilities cannot hold) keep their
// values: log C = log|l| - log|tanh(l / 2)| is 3.40 at l = 30, where clamped probabilities
// gave 2.77. Each form is accurate away from l = 0; the family switches to its series there.
import * as tf from '@tensorflow/tfjs-core';
import { expm1, log1p } from '@vae/divergence';
import { softplus, untaped } from './math.js';

/** log C(l) = log|l| - log|tanh(l / 2)|, with log|tanh(m / 2)| = log(-expm1(-m)) - log1p(e^-m). */
export function logNormalizerFromLogits(l: tf.Tensor): tf.Tensor {
  const m = tf.abs(l);
  const logTanh = tf.sub(tf.log(tf.neg(expm1(tf.neg(m)))), log1p(tf.exp(tf.neg(m))));
  return tf.sub(tf.log(m), logTanh);
}

/** E[x] = λ / (2λ - 1) - 1 / l = -1 / expm1(-l) - 1 / l. */
export function meanFromLogits(l: tf.Tensor): tf.Tensor {
  return tf.sub(tf.neg(tf.reciprocal(expm1(tf.neg(l)))), tf.reciprocal(l));
}

/** Var[x] = 1 / l^2 - e^-m / expm1(-m)^2 with m = |l| (the form is even in l). */
export function varianceFromLogits(l: tf.Tensor): tf.Tensor {
  const m = tf.abs(l);
  const ratio = tf.div(tf.exp(tf.neg(m)), tf.square(expm1(tf.neg(m))));
  return tf.sub(tf.reciprocal(tf.square(m)), ratio);
}

/** H = softplus(l) - l E[x] - log C. */
export function entropyFromLogits(l: tf.Tensor, mean: tf.Tensor, logNormalizer: tf.Tensor) {
  return tf.sub(tf.sub(softplus(l), tf.mul(l, mean)), logNormalizer);
}

/**
 * F(x) = expm1(x l) / expm1(l) for l < 0, and e^((x - 1) l) expm1(-x l) / expm1(-l) for l > 0
 * (the same value, written so that nothing overflows).
 */
export function cdfFromLogits(l: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const m = tf.abs(l);
  const negative = untaped(() => tf.less(l, 0));
  // With m = |l|: l < 0 gives expm1(-x m) / expm1(-m); l > 0 gives e^((x - 1) m) expm1(-x m) / expm1(-m).
  const ratio = tf.div(expm1(tf.neg(tf.mul(x, m))), expm1(tf.neg(m)));
  const scale = tf.where(negative, tf.onesLike(ratio), tf.exp(tf.mul(tf.sub(x, 1), m)));
  return tf.mul(scale, ratio);
}

/** Above this |l| the quantile uses its log form (absolute error ~1e-7 / |l|). */
const ICDF_LOG1P_LIMIT = 1;

/** The quantile for l > ICDF_LOG1P_LIMIT: 1 + log(e^-l - u expm1(-l)) / l. */
function icdfLargePositive(l: tf.Tensor, u: tf.Tensor): tf.Tensor {
  const inner = tf.sub(tf.exp(tf.neg(l)), tf.mul(u, expm1(tf.neg(l))));
  return tf.add(1, tf.div(tf.log(inner), l));
}

/**
 * The quantile log1p(u expm1(l)) / l: in that form for |l| <= 1 (relative accuracy), through
 * 1 + log(e^-l - u expm1(-l)) / l above, and by the symmetry F_l^-1(u) = 1 - F_-l^-1(1 - u)
 * below -1 (so logits of ±1e4 neither overflow nor lose u near 1).
 */
export function icdfFromLogits(l: tf.Tensor, u: tf.Tensor): tf.Tensor {
  const m = tf.abs(l);
  const moderate = untaped(() => tf.lessEqual(m, ICDF_LOG1P_LIMIT));
  const safeSmall = tf.where(moderate, l, tf.onesLike(l));
  const small = tf.div(log1p(tf.mul(u, expm1(safeSmall))), safeSmall);
  const safeLarge = tf.where(moderate, tf.fill(m.shape, 2), m);
  const positive = untaped(() => tf.greater(l, 0));
  const large = tf.where(
    positive,
    icdfLargePositive(safeLarge, u),
    tf.sub(1, icdfLargePositive(safeLarge, tf.sub(1, u))),
  );
  return tf.where(moderate, small, large);
}
