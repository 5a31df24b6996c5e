import * as tf from '@tensorflow/tfjs-core';
import { expm1MinusX } from './internal/expm1-minus-x.js';
import {
  broadcastShapes,
  broadcastTo,
  checkFinite,
  resolveAxis,
  type TensorInput,
  toFloatTensor,
} from './internal/validate.js';

/** Options of {@link klStandardNormal}. */
export interface KlStandardNormalOptions {
  /** The latent axis to sum over; negative counts from the end. Default `-1`. */
  axis?: number;
  /** Check shapes and finiteness (reads data back). Default `true`. */
  validateArgs?: boolean;
}

function klStandardNormal_(
  loc: TensorInput,
  logVariance: TensorInput,
  options: KlStandardNormalOptions = {},
): tf.Tensor {
  const fn = 'klStandardNormal';
  const m = toFloatTensor({ fn, name: 'loc' }, loc);
  const v = toFloatTensor({ fn, name: 'logVariance' }, logVariance);
  const shape = broadcastShapes(fn, [
    ['loc', m.shape],
    ['logVariance', v.shape],
  ]);
  const axis = resolveAxis(fn, options.axis ?? -1, shape.length);
  if (options.validateArgs ?? true) {
    checkFinite({ fn, name: 'loc' }, m);
    checkFinite({ fn, name: 'logVariance' }, v);
  }
  // e^v + m^2 - 1 - v, with e^v - 1 - v computed without cancellation as v -> 0.
  const pointwise = tf.add(expm1MinusX(v), tf.square(m));
  return tf.mul(0.5, tf.sum(broadcastTo(pointwise, shape), axis));
}

const klStandardNormalOp = tf.op({ klStandardNormal_ });

/**
 * The VAE regularizer: closed-form `KL(N(loc, diag(e^logVariance)) || N(0, I))
 * = 1/2 sum(e^v + m^2 - 1 - v)`, summed over the latent axis.
 *
 * @param loc - Posterior means, shape `[...batch, latentDim]`.
 * @param logVariance - Posterior log-variances, broadcastable with `loc`.
 * @param options - Latent `axis` (default -1), `validateArgs`.
 * @returns KL in nats, shape `[...batch]`. The caller owns it.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { klStandardNormal } from '@vae/divergence';
 *
 * // An encoder's output, split into means and log-variances, [batch, latentDim] each:
 * const encoded = tf.tensor([[0.5, -0.2, -1, 0.3], [0, 1, 0, 0]]);
 * const [mean, logVariance] = tf.split(encoded, 2, -1) as [tf.Tensor, tf.Tensor];
 * // One value per example, [batch]:
 * klStandardNormal(mean, logVariance, { validateArgs: false }).print(); // -> [0.3539, 0.5]
 * klStandardNormal(tf.zeros([3]), tf.zeros([3])).print(); // -> 0
 * ```
 */
export function klStandardNormal(
  loc: TensorInput,
  logVariance: TensorInput,
  options: KlStandardNormalOptions = {},
): tf.Tensor {
  return klStandardNormalOp(loc, logVariance, options);
}
