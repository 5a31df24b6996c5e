import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import { registerGradientsInNode } from './internal/node-gradients.js';

// Kernels whose gradients every model here needs; if all are registered, someone
// (a test setup, tfjs-layers, the full @tensorflow/tfjs bundle) already did it.
const PROBE_KERNELS = [
  'BatchMatMul',
  'Add',
  'Multiply',
  'Sum',
  'Exp',
  'Log',
  'Relu',
  'Sigmoid',
  'Softplus',
];

/**
 * True when tfjs-core's gradient functions are registered (probed on the kernels
 * every model here needs: BatchMatMul, Add, Multiply, Sum, Exp, Log, Relu, Sigmoid, Softplus).
 *
 * @example
 * ```ts
 * if (!gradientsRegistered()) await ensureGradients();
 * ```
 */
export function gradientsRegistered(): boolean {
  return PROBE_KERNELS.every((kernel) => tf.getGradient(kernel) != null);
}

function isNode(): boolean {
  return (
    (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node != null
  );
}

let pending: Promise<void> | undefined;

async function register(): Promise<void> {
  if (gradientsRegistered()) return;
  let bundlerError: unknown;
  try {
    // Bundlers (Vite, webpack, esbuild) and vitest resolve tfjs-core's
    // extensionless ESM imports; plain Node does not and lands in the catch.
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  } catch (error) {
    bundlerError = error;
  }
  if (!gradientsRegistered() && isNode()) {
    try {
      await registerGradientsInNode(import.meta.url);
    } catch (error) {
      throw new VaeError(
        'UNSUPPORTED',
        `ensureGradients: could not register tfjs-core's gradients in Node (${String(error)}); import '@tensorflow/tfjs-layers' or '@tensorflow/tfjs' once before training as a workaround`,
        { cause: error },
      );
    }
  }
  if (!gradientsRegistered()) {
    throw new VaeError(
      'UNSUPPORTED',
      `ensureGradients: tfjs-core's gradients are not registered and importing '@tensorflow/tfjs-core/dist/register_all_gradients' failed (${String(bundlerError)}); import it yourself once before training`,
      { cause: bundlerError },
    );
  }
}

/**
 * Registers tfjs-core's gradient functions once per process, which tfjs-core's
 * bundles do not do by themselves (without them, training fails with "gradient
 * function not found"). `fit` calls it; call it yourself before `tf.grad`,
 * `tf.variableGrads` or `optimizer.minimize` outside `fit`.
 *
 * Under a bundler or vitest it imports `@tensorflow/tfjs-core/dist/register_all_gradients`.
 * In plain Node, where that ESM file cannot load, it registers a resolve hook
 * scoped to tfjs-core's `dist/` folder and loads it through that (about half a
 * second, once). It does nothing when the gradients are already registered.
 *
 * @throws `VaeError('UNSUPPORTED')` when neither way works, with a workaround.
 * @example
 * ```ts
 * import { ensureGradients } from '@vae/trainer';
 * await ensureGradients();
 * const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor([1, 2])); // [2, 4]
 * ```
 */
export function ensureGradients(): Promise<void> {
  pending ??= register().catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}
