import * as tf from '@tensorflow/tfjs-core';
import type { DiscreteOptions } from './discrete-options.js';
import { expm1 } from './expm1.js';
import { type DiscreteTerms, preparePair } from './internal/discrete.js';
import { withoutGradient } from './internal/masks.js';
import type { TensorInput } from './internal/validate.js';
import { kl } from './kl.js';
import { log1p } from './log1p.js';
import { ensureArgument } from './vae-error.js';

/** Options of {@link renyi}: the order `alpha` plus the discrete options. */
export interface RenyiOptions extends DiscreteOptions {
  /** The order, `alpha >= 0`: 1 is KL, `Infinity` the log of the largest ratio p/q. */
  alpha: number;
}

/** Gradient-free masks: the common support, and per row whether it is non-empty and whether D is infinite. */
function supportMasks(
  p: DiscreteTerms,
  q: DiscreteTerms,
  { alpha, axis }: { alpha: number; axis: number },
) {
  const compute = (logP: tf.Tensor, logQ: tf.Tensor) => {
    const pIn = tf.greater(logP, Number.NEGATIVE_INFINITY);
    const qIn = tf.greater(logQ, Number.NEGATIVE_INFINITY);
    return { pIn, qIn, both: tf.logicalAnd(pIn, qIn) };
  };
  const both = withoutGradient((logP, logQ) => compute(logP!, logQ!).both)(p.logProbs, q.logProbs);
  const rows = withoutGradient((logP, logQ) => {
    const { pIn, qIn, both } = compute(logP!, logQ!);
    const rowHasBoth = tf.any(both, axis, true);
    // p outside q's support: infinite for alpha > 1; disjoint supports: infinite for every alpha.
    const infinite =
      alpha > 1
        ? tf.any(tf.logicalAnd(pIn, tf.logicalNot(qIn)), axis, true)
        : tf.logicalNot(rowHasBoth);
    return tf.stack([rowHasBoth, infinite]);
  })(p.logProbs, q.logProbs);
  const [rowHasBoth, infinite] = tf.unstack(rows) as [tf.Tensor, tf.Tensor];
  return { both, rowHasBoth, infinite };
}

/** Rows whose exponents t = (alpha - 1)(log p - log q) all lie in [-1, 1]. */
const T_BOUND = 1;

/**
 * log sum p^alpha q^(1 - alpha) over the common support. With t = (alpha - 1)(log p - log q)
 * the sum is S = sum p e^t, and near alpha = 1 (all |t| <= 1) it is computed as
 * log1p(sum p expm1(t) - mass of p outside q's support): S is then within a few t of 1, and
 * log S directly (a logSumExp) loses all but a few digits of it in float32 (at alpha = 0.9999
 * the divergence is log S / -1e-4). Elsewhere the logSumExp in log space is the stable form.
 */
function logPowerSum(
  p: DiscreteTerms,
  terms: { logP: tf.Tensor; logQ: tf.Tensor; both: tf.Tensor; rowHasBoth: tf.Tensor },
  { alpha, axis }: { alpha: number; axis: number },
): tf.Tensor {
  const { logP, logQ, both, rowHasBoth } = terms;
  const exponent = tf.where(
    both,
    tf.add(tf.mul(alpha, logP), tf.mul(1 - alpha, logQ)),
    Number.NEGATIVE_INFINITY,
  );
  const safeExponent = tf.where(rowHasBoth, exponent, 0); // a row of -Infinity has a NaN logSumExp
  const logSum = tf.logSumExp(safeExponent, axis, true);
  const t = tf.mul(tf.sub(logP, logQ), alpha - 1); // 0 off the common support
  const nearOne = withoutGradient((x) => tf.lessEqual(tf.max(tf.abs(x!), axis, true), T_BOUND))(t);
  const bounded = tf.clipByValue(t, -T_BOUND, T_BOUND); // finite where the row is not near one
  const outside = tf.sum(tf.where(both, tf.zerosLike(p.probs), p.probs), axis, true);
  const excess = tf.sub(
    tf.sum(tf.mul(tf.where(both, p.probs, 0), expm1(bounded)), axis, true),
    outside,
  );
  return tf.where(nearOne, log1p(excess), logSum);
}

function renyiOrder(p: DiscreteTerms, q: DiscreteTerms, order: { alpha: number; axis: number }) {
  const { alpha, axis } = order;
  const { both, rowHasBoth, infinite } = supportMasks(p, q, order);
  const logP = tf.where(both, p.logProbs, 0);
  const logQ = tf.where(both, q.logProbs, 0);
  let value: tf.Tensor;
  if (alpha === Number.POSITIVE_INFINITY) {
    value = tf.max(tf.where(both, tf.sub(logP, logQ), Number.NEGATIVE_INFINITY), axis, true);
  } else {
    value = tf.div(logPowerSum(p, { logP, logQ, both, rowHasBoth }, order), alpha - 1);
  }
  return tf.squeeze(tf.where(infinite, Number.POSITIVE_INFINITY, value), [axis]);
}

function renyi_(p: TensorInput, q: TensorInput, options: RenyiOptions): tf.Tensor {
  const alpha = options?.alpha;
  ensureArgument(
    typeof alpha === 'number' && alpha >= 0,
    () => `renyi: \`alpha\` must be a number >= 0, got ${String(alpha)}`,
  );
  if (alpha === 1) return kl(p, q, options);
  const terms = preparePair('renyi', { p, q }, options);
  return renyiOrder(terms.p, terms.q, { alpha, axis: terms.axis });
}

const renyiOp = tf.op({ renyi_ });

/**
 * Rényi divergence of order `alpha`,
 * `D_alpha(p || q) = 1 / (alpha - 1) log sum p^alpha q^(1 - alpha)`, reduced
 * over the event axis, computed in log space. `alpha = 1` is KL (the limit),
 * `alpha = 0` is `-log q(support of p)`, `alpha = Infinity` is
 * `log max p / q`; `D_alpha` is nondecreasing in `alpha`, and
 * `D_2 = ln(1 + chi^2)`. Infinite where `p > 0 = q` (for `alpha >= 1`) or the
 * supports are disjoint.
 *
 * @param p - Probabilities (or logits with `{ logits: true }`), shape `[...batch, k]`.
 * @param q - Same as `p`, any shape broadcastable with it.
 * @param options - `alpha` (required), event `axis` (default -1), `logits`, `validateArgs`.
 * @returns Rényi divergence in nats, shape `[...batch]`. The caller owns it.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { renyi } from '@vae/divergence';
 *
 * const p = tf.tensor([0.5, 0.3, 0.2]);
 * const q = tf.tensor([0.2, 0.3, 0.5]);
 * // -2 ln(Bhattacharyya coefficient), then ln(1 + chiSquared(p, q)):
 * renyi(p, q, { alpha: 0.5 }).print(); // -> 0.1399
 * renyi(p, q, { alpha: 2 }).print(); // -> 0.4886
 * ```
 */
export function renyi(p: TensorInput, q: TensorInput, options: RenyiOptions): tf.Tensor {
  return renyiOp(p, q, options);
}
