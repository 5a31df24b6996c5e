import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from './vae-error.js';

/**
 * `x` [rows, ...] stacked `times` times along axis 0: [times * rows, ...], copy i in rows
 * [i * rows, (i + 1) * rows) (how the `@vae` packages pair k draws per example with the
 * data). A new tensor, the caller's to free (for `times` = 1 a clone, which shares x's
 * data). A concatenation, not `tf.tile`: on wasm, Tile computes an index per element and
 * was over half of a k = 5000 log-likelihood's time; concatenating along axis 0 is a block copy.
 *
 * @param x - The tensor to repeat, rank >= 1. Borrowed.
 * @param times - How many copies, a positive integer.
 * @returns [times * rows, ...].
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { repeatRows } from '@vae/divergence';
 *
 * const x = tf.tensor2d([[1, 2], [3, 4]]);
 * const repeated = repeatRows(x, 3); // [6, 2]
 * console.log(repeated.arraySync()); // -> [ [ 1, 2 ], [ 3, 4 ], [ 1, 2 ], [ 3, 4 ], [ 1, 2 ], [ 3, 4 ] ]
 * tf.dispose([x, repeated]);
 * ```
 */
export function repeatRows(x: tf.Tensor, times: number): tf.Tensor {
  ensureArgument(
    Number.isInteger(times) && times >= 1 && x.rank >= 1,
    () =>
      `repeatRows: expected a tensor of rank >= 1 and a positive integer, got rank ${x.rank} and ${times}`,
  );
  return tf.concat(new Array<tf.Tensor>(times).fill(x), 0);
}
