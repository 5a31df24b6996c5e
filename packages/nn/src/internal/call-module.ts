import type * as tf from '@tensorflow/tfjs-core';
import { Linear } from '../linear.js';
import type { CallOptions, Module } from '../module.js';
import { Sequential } from '../sequential.js';

/** `module.call(x)`, passing `options` to the modules that take them (Linear, Sequential). */
export function callModule(
  module: Module,
  x: tf.Tensor,
  options: CallOptions | undefined,
): tf.Tensor {
  if (module instanceof Linear || module instanceof Sequential) return module.call(x, options);
  return module.call(x);
}
