// Every use of TensorFlow.js internals in @vae/nn, and nothing else (issue 9).
// test/tfjs-internals.test.ts checks each against the installed tfjs-core and names what
// broke; the peer range in package.json (~4.22.0) is what that test covers.
//
// 1. `_FusedMatMul` through `tf.engine().runKernel`: matmul + bias + activation in one
//    kernel. The public `tf.fused.matMul` runs three kernels whenever a gradient is being
//    recorded, which is always the case while training.
// 2. The live gradient tape (`tf.engine().state.activeTape`) and `isTapeOn()`: the tensors
//    a layer's backward pass needs are attached to its tape node as aliases, so the engine
//    frees them after backprop. tfjs's own way (customGrad's `save`, or a registered
//    gradient's inputsToSave) copies each one on the wasm backend, whose Identity kernel
//    copies the data: about a megabyte per MLP step (see apps/cli/src/bench/README.md).
import * as tf from '@tensorflow/tfjs-core';

/** Activations `_FusedMatMul` applies in the same kernel, by the names it takes. */
export type FusedActivation = 'linear' | 'relu' | 'leakyrelu' | 'sigmoid' | 'elu';

/**
 * activation(a @ b + bias) in one kernel call (1): a [batch, m, k], b [batch, k, n], bias
 * [n] (optional) -> [batch, m, n]. Untransposed operands only.
 */
export function fusedMatMul(
  a: tf.Tensor3D,
  b: tf.Tensor3D,
  options: { bias: tf.Tensor | undefined; activation: FusedActivation; leakyreluAlpha: number },
): tf.Tensor3D {
  const { bias, activation, leakyreluAlpha } = options;
  const inputs: tf.NamedTensorMap = { a, b };
  if (bias !== undefined) inputs.bias = bias;
  const attrs = { transposeA: false, transposeB: false, activation, leakyreluAlpha };
  return tf.engine().runKernel('_FusedMatMul', inputs, attrs) as tf.Tensor3D;
}

/** Whether the ops run now are recorded for a gradient (2). */
export function recordingGradients(): boolean {
  return tf.engine().isTapeOn();
}

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
  const recording = engine.isTapeOn(); // (2)
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
    const tape = engine.state.activeTape; // (2)
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
