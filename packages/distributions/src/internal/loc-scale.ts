// The (loc, scale) parameterization shared by Normal, Laplace, Gumbel and LogNormal.
import type * as tf from '@tensorflow/tfjs-core';
import { finiteReal, positive } from './constraints.js';
import type { ParamLike, ParamScope } from './params.js';

/** Reads `loc` (finite) and `scale` (positive) and broadcasts them to a common batch shape. */
export function parseLocScale(
  scope: ParamScope,
  options: { loc: ParamLike; scale: ParamLike },
): { loc: tf.Tensor; scale: tf.Tensor } {
  return scope.broadcast({
    loc: scope.param('loc', options.loc, finiteReal),
    scale: scope.param('scale', options.scale, positive),
  });
}
