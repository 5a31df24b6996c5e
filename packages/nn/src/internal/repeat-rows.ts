import * as tf from '@tensorflow/tfjs-core';

/**
 * `x` [rows, ...] stacked `times` times along axis 0: [times * rows, ...], copy i in
 * rows [i * rows, (i + 1) * rows). The same tensor when `times` is 1 (the caller must
 * not free it then). A concatenation, not tf.tile: on wasm, Tile computes an index per
 * element; concatenating along axis 0 is a block copy.
 */
export function repeatRows(x: tf.Tensor, times: number): tf.Tensor {
  if (times === 1) return x;
  return tf.concat(new Array<tf.Tensor>(times).fill(x), 0);
}
