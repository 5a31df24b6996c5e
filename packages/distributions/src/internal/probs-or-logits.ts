// The probs-or-logits parameterization shared by Bernoulli-like and categorical families.
import type * as tf from '@tensorflow/tfjs-core';
import { type Constraint, finiteReal } from './constraints.js';
import type { ParamLike, ParamScope } from './params.js';

/** Exactly one of `probs` and `logits`. */
export type ProbsOrLogits =
  | { probs: ParamLike; logits?: undefined }
  | { logits: ParamLike; probs?: undefined };

/** The parameter as given, and which one it is. */
export interface ParsedProbs {
  readonly isLogits: boolean;
  readonly param: tf.Tensor;
}

/**
 * Reads `probs` or `logits` (exactly one) from `options`, converting and validating it;
 * `eventRank` 1 requires a trailing category axis.
 */
export function parseProbsOrLogits(
  scope: ParamScope,
  options: { probs?: ParamLike | undefined; logits?: ParamLike | undefined },
  settings: { probsConstraint: Constraint; eventRank: 0 | 1 },
): ParsedProbs {
  const hasProbs = options.probs !== undefined;
  const hasLogits = options.logits !== undefined;
  if (hasProbs === hasLogits) {
    scope.fail(
      `${scope.className}: pass exactly one of \`probs\` and \`logits\`, got ${hasProbs ? 'both' : 'neither'}`,
    );
  }
  const name = hasLogits ? 'logits' : 'probs';
  const constraint = hasLogits ? finiteReal : settings.probsConstraint;
  const param = scope.param(name, hasLogits ? options.logits : options.probs);
  if (settings.eventRank === 1) scope.minRank(name, param, 1);
  if (scope.validate) scope.check(name, param, constraint);
  return { isLogits: hasLogits, param };
}

/** `{ logits: param }` or `{ probs: param }`: the form a family was given, to rebuild it. */
export function sameForm(isLogits: boolean, param: tf.Tensor): ProbsOrLogits {
  return isLogits ? { logits: param } : { probs: param };
}
