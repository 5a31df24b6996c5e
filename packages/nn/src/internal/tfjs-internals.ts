import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs a `tf.customGrad` op whose backward pass needs some tensors of the
 * forward pass, keeping them WITHOUT the copy that customGrad's `save` makes
 * (the wasm backend's clone copies the data, and tfjs's test-mode leak check
 * then flags the copy as a kernel leak).
 *
 * `forward(keep)` runs inside the op; it calls `keep(t)` on each tensor the
 * gradient needs and gets back an alias sharing `t`'s data. The aliases are
 * attached to the op's tape node, so the engine frees them when the gradient
 * computation ends (whether or not this node's gradient was needed). Outside
 * of a recorded gradient nothing is kept.
 */
export function customGradWithSaved(
  inputs: tf.Tensor[],
  forward: (keep: <T extends tf.Tensor>(t: T) => T) => {
    value: tf.Tensor;
    gradFunc: (dy: tf.Tensor) => tf.Tensor[];
  },
): tf.Tensor {
  const engine = tf.engine();
  const recording = engine.isTapeOn();
  const kept: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => {
    if (!recording) return t;
    // reshape to the same shape is an alias on every backend (shared data, ref-counted).
    const alias = tf.keep(tf.reshape(t, t.shape)) as T;
    kept.push(alias);
    return alias;
  };
  const op = tf.customGrad((..._args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const { value, gradFunc } = forward(keep);
    return { value, gradFunc: (dy: tf.Tensor) => gradFunc(dy) };
  });
  const y = op(...inputs);
  if (recording) {
    const tape = engine.state.activeTape;
    const node = tape[tape.length - 1];
    if (node?.outputs[0] === y && node.saved !== undefined) {
      node.saved.push(...kept);
    } else {
      // Not expected with tfjs 4.x; keep correctness over speed by freeing nothing early.
      tf.dispose(kept);
    }
  }
  return y;
}
