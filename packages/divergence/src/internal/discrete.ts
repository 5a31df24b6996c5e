import * as tf from '@tensorflow/tfjs-core';
import type { DiscreteOptions } from '../discrete-options.js';
import { safeLog } from './masks.js';
import {
  type Argument,
  broadcastShapes,
  broadcastTo,
  checkLogits,
  checkProbabilities,
  resolveAxis,
  type TensorInput,
  toFloatTensor,
} from './validate.js';

/** A distribution over the event axis, as probabilities and log-probabilities of the same shape. */
export interface DiscreteTerms {
  /** Probabilities (exactly the input in the probability form). */
  probs: tf.Tensor;
  /** Log-probabilities, `-Infinity` where the probability is 0. */
  logProbs: tf.Tensor;
}

function toTerms(x: tf.Tensor, axis: number, logits: boolean): DiscreteTerms {
  if (!logits) return { probs: x, logProbs: safeLog(x) };
  // Log-softmax along any axis (tf.logSoftmax supports only the last one).
  const logProbs = tf.sub(x, tf.logSumExp(x, axis, true));
  return { probs: tf.exp(logProbs), logProbs };
}

function validate(
  arg: Argument,
  x: tf.Tensor,
  where: { shape: readonly number[]; axis: number; logits: boolean },
): void {
  // Check the input as given (so messages show its shape) unless it lacks the
  // event axis and only its broadcast copy has one.
  let axis = x.rank + where.axis - where.shape.length;
  if (axis < 0) {
    x = broadcastTo(x, where.shape);
    axis = where.axis;
  }
  if (where.logits) checkLogits(arg, x, axis);
  else checkProbabilities(arg, x, axis);
}

/** Converts, validates and log-normalizes one discrete distribution. */
export function prepareOne(
  fn: string,
  p: TensorInput,
  options: DiscreteOptions,
): DiscreteTerms & { axis: number } {
  const tensor = toFloatTensor({ fn, name: 'p' }, p);
  const axis = resolveAxis(fn, options.axis ?? -1, tensor.rank);
  const logits = options.logits ?? false;
  if (options.validateArgs ?? true)
    validate({ fn, name: 'p' }, tensor, { shape: tensor.shape, axis, logits });
  return { ...toTerms(tensor, axis, logits), axis };
}

/**
 * Converts, validates, broadcasts to a common shape and log-normalizes a pair
 * of discrete distributions `p` and `q`.
 */
export function preparePair(
  fn: string,
  { p, q }: { p: TensorInput; q: TensorInput },
  options: DiscreteOptions,
): { p: DiscreteTerms; q: DiscreteTerms; axis: number } {
  const pTensor = toFloatTensor({ fn, name: 'p' }, p);
  const qTensor = toFloatTensor({ fn, name: 'q' }, q);
  const shape = broadcastShapes(fn, [
    ['p', pTensor.shape],
    ['q', qTensor.shape],
  ]);
  const axis = resolveAxis(fn, options.axis ?? -1, shape.length);
  const logits = options.logits ?? false;
  if (options.validateArgs ?? true) {
    validate({ fn, name: 'p' }, pTensor, { shape, axis, logits });
    validate({ fn, name: 'q' }, qTensor, { shape, axis, logits });
  }
  return {
    p: toTerms(broadcastTo(pTensor, shape), axis, logits),
    q: toTerms(broadcastTo(qTensor, shape), axis, logits),
    axis,
  };
}
