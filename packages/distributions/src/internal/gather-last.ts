// An injective gather along the last axis with a gather for its gradient: tfjs's own gather
// gradient needs UnsortedSegmentSum, which the wasm backend lacks.
import * as tf from '@tensorflow/tfjs-core';

function gatherWithZeroSlot(x: tf.Tensor, index: readonly number[]): tf.Tensor {
  const padding = x.shape.map((_, axis): [number, number] =>
    axis === x.rank - 1 ? [0, 1] : [0, 0],
  );
  return tf.gather(tf.pad(x, padding), tf.tensor1d([...index], 'int32'), x.rank - 1);
}

/**
 * `y[..., j] = x[..., index[j]]`, or 0 where `index[j]` equals x's last size (a zero slot). Each
 * entry of x must appear at most once in `index`; `adjoint[i]` is the position of entry i in
 * `index` (or y's last size when it does not appear), so the gradient is a gather too.
 * Call inside `tf.tidy`.
 */
export function gatherLast(
  x: tf.Tensor,
  index: readonly number[],
  adjoint: readonly number[],
): tf.Tensor {
  const gather = tf.customGrad((input: tf.Tensor | tf.GradSaveFunc) => ({
    value: gatherWithZeroSlot(input as tf.Tensor, index),
    gradFunc: (dy: tf.Tensor) => gatherWithZeroSlot(dy, adjoint),
  }));
  return gather(x);
}

/** The adjoint of `index` for {@link gatherLast}: entry i of an input of size `size`. */
export function adjointIndex(index: readonly number[], size: number): number[] {
  const adjoint = new Array<number>(size).fill(index.length);
  index.forEach((source, position) => {
    if (source < size) adjoint[source] = position;
  });
  return adjoint;
}
