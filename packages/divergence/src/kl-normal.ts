import * as tf from '@tensorflow/tfjs-core';
import { expm1MinusX } from './internal/expm1-minus-x.js';
import { broadcastShapes, checkFinite, checkPositive, toFloatTensor } from './internal/validate.js';

/** A tensor, or a number for a parameter shared by the whole batch. */
export type TensorOrNumber = tf.Tensor | number;

/**
 * The parameters of a univariate normal (or of a diagonal normal, elementwise):
 * `loc` with either `scale` (standard deviation, positive) or `logVariance`
 * (`log scale^2`, the usual output of a VAE encoder).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { klNormal, type NormalParameters } from '@vae/divergence';
 *
 * const mean = tf.tensor([[0.5, -0.2]]); // an encoder's outputs, [batch, latentDim]
 * const logVariance = tf.tensor([[-1, 0.3]]);
 * const prior: NormalParameters = { loc: 0, scale: 1 };
 * const posterior: NormalParameters = { loc: mean, logVariance };
 * // Elementwise, [batch, latentDim]:
 * klNormal(posterior, prior).print(); // -> [[0.3089, 0.0449]]
 * ```
 */
export type NormalParameters =
  | {
      /** The mean. */
      loc: TensorOrNumber;
      /** The standard deviation, positive. */
      scale: TensorOrNumber;
      /** Not with `scale`. */
      logVariance?: never;
    }
  | {
      /** The mean. */
      loc: TensorOrNumber;
      /** `log scale^2`. */
      logVariance: TensorOrNumber;
      /** Not with `logVariance`. */
      scale?: never;
    };

/** Options of {@link klNormal}. */
export interface KlNormalOptions {
  /** Check shapes, finiteness and `scale > 0` (reads data back). Default `true`. */
  validateArgs?: boolean;
}

interface LocLogVariance {
  loc: tf.Tensor;
  logVariance: tf.Tensor;
}

function toLocLogVariance(
  name: 'p' | 'q',
  params: NormalParameters,
  validateArgs: boolean,
): LocLogVariance {
  const fn = 'klNormal';
  const loc = toFloatTensor({ fn, name: `${name}.loc` }, params.loc);
  if (validateArgs) checkFinite({ fn, name: `${name}.loc` }, loc);
  if (params.scale !== undefined) {
    const scale = toFloatTensor({ fn, name: `${name}.scale` }, params.scale);
    if (validateArgs) checkPositive({ fn, name: `${name}.scale` }, scale);
    return { loc, logVariance: tf.mul(2, tf.log(scale)) };
  }
  const logVariance = toFloatTensor({ fn, name: `${name}.logVariance` }, params.logVariance);
  if (validateArgs) checkFinite({ fn, name: `${name}.logVariance` }, logVariance);
  return { loc, logVariance };
}

function klNormal_(
  p: NormalParameters,
  q: NormalParameters,
  options: KlNormalOptions = {},
): tf.Tensor {
  const validateArgs = options.validateArgs ?? true;
  const a = toLocLogVariance('p', p, validateArgs);
  const b = toLocLogVariance('q', q, validateArgs);
  if (validateArgs) {
    broadcastShapes('klNormal', [
      ['p.loc', a.loc.shape],
      [p.scale === undefined ? 'p.logVariance' : 'p.scale', a.logVariance.shape],
      ['q.loc', b.loc.shape],
      [q.scale === undefined ? 'q.logVariance' : 'q.scale', b.logVariance.shape],
    ]);
  }
  // 1/2 [ (e^d - 1 - d) + (m_p - m_q)^2 e^(-v_q) ] with d = v_p - v_q, the first
  // term computed without cancellation as d -> 0.
  const logRatio = tf.sub(a.logVariance, b.logVariance);
  const meanTerm = tf.mul(tf.square(tf.sub(a.loc, b.loc)), tf.exp(tf.neg(b.logVariance)));
  return tf.mul(0.5, tf.add(expm1MinusX(logRatio), meanTerm));
}

const klNormalOp = tf.op({ klNormal_ });

/**
 * Closed-form `KL(N(p.loc, p.scale^2) || N(q.loc, q.scale^2))`, elementwise:
 * `log(s_q / s_p) + (s_p^2 + (m_p - m_q)^2) / (2 s_q^2) - 1/2`.
 *
 * Each side takes `{ loc, scale }` or `{ loc, logVariance }`; parameters are
 * tensors or numbers of any broadcastable shapes. For a diagonal normal, sum
 * the result over the latent axis (or use {@link klStandardNormal} against
 * `N(0, I)`). Differentiable in every parameter.
 *
 * @param p - The first normal: `{ loc, scale }` or `{ loc, logVariance }`, tensors or numbers.
 * @param q - The second normal, the same way; every parameter broadcastable with those of `p`.
 * @param options - `validateArgs` (default `true`).
 * @returns KL in nats with the broadcast shape of the parameters. The caller owns it.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { klNormal } from '@vae/divergence';
 *
 * klNormal({ loc: 0, scale: 1 }, { loc: 1, scale: 2 }).print(); // -> 0.4431
 * // Not symmetric:
 * klNormal({ loc: 1, scale: 2 }, { loc: 0, scale: 1 }).print(); // -> 1.3069
 *
 * // A VAE posterior against a learned diagonal prior, [batch, latentDim] -> [batch]:
 * const mean = tf.tensor([[0.5, -0.2], [0, 1]]);
 * const logVariance = tf.tensor([[-1, 0.3], [0, 0]]);
 * const prior = { loc: tf.tensor([0, 0.5]), scale: tf.tensor([1, 2]) };
 * tf.sum(klNormal({ loc: mean, logVariance }, prior), -1).print(); // -> [0.5821, 0.3494]
 * ```
 */
export function klNormal(
  p: NormalParameters,
  q: NormalParameters,
  options: KlNormalOptions = {},
): tf.Tensor {
  return klNormalOp(p, q, options);
}
