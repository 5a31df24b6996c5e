import * as tf from '@tensorflow/tfjs-core';
import { registerOpKernel, runKernel } from './internal/tfjs-internals.js';
import { ensureArgument } from './vae-error.js';

/**
 * What {@link kernelOp} needs: a forward computation from named input tensors, and
 * its gradient.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import type { KernelOpConfig } from '@vae/divergence/kernels';
 * const config: KernelOpConfig<{ alpha: number }> = {
 *   kernelName: 'ExampleScale',
 *   forward: ({ x }, { alpha }) => [tf.mul(x!, alpha)],
 *   gradient: ([dy], _saved, { alpha }) => ({ x: () => tf.mul(dy!, alpha) }),
 * };
 * ```
 */
export interface KernelOpConfig<A extends tf.NamedAttrMap = tf.NamedAttrMap> {
  /** The kernel's name, unique in the process (prefix it with your library's name). */
  kernelName: string;
  /** The outputs, computed with tfjs ops from the inputs; its intermediates are freed. */
  forward(inputs: Record<string, tf.Tensor>, attrs: A): tf.Tensor[];
  /**
   * d loss / d input for each input name that needs one, from the gradients of the
   * outputs (`dy[i]` for output i) and the saved tensors: the inputs named in
   * `inputsToSave` in that order, then the outputs flagged in `outputsToSave`.
   */
  gradient(dy: tf.Tensor[], saved: tf.Tensor[], attrs: A): Record<string, () => tf.Tensor>;
  /** Inputs the gradient needs; tfjs keeps them until backprop is done. */
  inputsToSave?: string[];
  /** For each output, whether the gradient needs it. */
  outputsToSave?: boolean[];
}

/**
 * A differentiable op built on tfjs's own extension points, as tfjs builds its
 * ops: a kernel registered by name (made of tfjs ops, registered for each backend
 * the first time it runs there) and a registered gradient config. Unlike
 * `tf.customGrad`, tfjs keeps what the gradient needs after the kernel has run, so
 * tfjs's test-mode leak check (`IS_TEST`) stays quiet; like `tf.customGrad`, the ops
 * inside are not recorded. Returns the outputs; the caller owns them.
 *
 * @param config The kernel's name, its forward computation and its gradient.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { ensureGradients } from '@vae/divergence';
 * import { kernelOp } from '@vae/divergence/kernels';
 * await ensureGradients();
 * const cube = kernelOp<Record<string, never>>({
 *   kernelName: 'ExampleCube',
 *   forward: ({ x }) => [tf.pow(x!, 3)],
 *   inputsToSave: ['x'],
 *   gradient: ([dy], [x]) => ({ x: () => tf.mul(dy!, tf.mul(3, tf.square(x!))) }),
 * });
 * cube({ x: tf.tensor1d([2]) }, {})[0]!.print(); // -> [8]
 * tf.grad((x: tf.Tensor) => cube({ x }, {})[0]!)(tf.tensor1d([2])).print(); // -> [12]
 * ```
 */
export function kernelOp<A extends tf.NamedAttrMap>(
  config: KernelOpConfig<A>,
): (inputs: Record<string, tf.Tensor>, attrs: A) => tf.Tensor[] {
  const { kernelName } = config;
  ensureArgument(
    typeof kernelName === 'string' && kernelName.length > 0,
    () => `kernelOp: \`kernelName\` must be a non-empty string, got ${String(kernelName)}`,
  );
  if (tf.getGradient(kernelName) == null) {
    tf.registerGradient({
      kernelName,
      ...(config.inputsToSave !== undefined && { inputsToSave: config.inputsToSave }),
      ...(config.outputsToSave !== undefined && { outputsToSave: config.outputsToSave }),
      gradFunc: (dy, saved, attrs) =>
        config.gradient(Array.isArray(dy) ? dy : [dy], saved, attrs as A),
    });
  }
  const forward = (inputs: Record<string, tf.Tensor>, attrs: tf.NamedAttrMap) =>
    config.forward(inputs, attrs as A);
  return (inputs, attrs) => {
    registerOpKernel(kernelName, tf.getBackend(), forward);
    const outputs = runKernel(kernelName, inputs as tf.NamedTensorMap, attrs);
    return Array.isArray(outputs) ? outputs : [outputs];
  };
}
