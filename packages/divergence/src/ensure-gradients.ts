import * as tf from '@tensorflow/tfjs-core';
import { importAllGradients, registerGradientsInNode } from './internal/tfjs-internals.js';
import { VaeError } from './vae-error.js';

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
 * import { ensureGradients, gradientsRegistered } from '@vae/divergence';
 * if (!gradientsRegistered()) await ensureGradients();
 * console.log(gradientsRegistered()); // -> true
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
  let nodeError: unknown;
  if (isNode()) {
    // First, before any plain import: a failed import of tfjs-core's ESM files stays
    // cached in Node's loader (under tsx too), and a later retry would meet it.
    try {
      await registerGradientsInNode(import.meta.url);
    } catch (error) {
      nodeError = error;
    }
  }
  let bundlerError: unknown;
  if (!gradientsRegistered()) {
    try {
      // Bundlers (Vite, webpack, esbuild) and vitest resolve tfjs-core's
      // extensionless ESM imports themselves.
      await importAllGradients();
    } catch (error) {
      bundlerError = error;
    }
  }
  if (!gradientsRegistered()) {
    const why = nodeError === undefined ? '' : `; in Node: ${String(nodeError)}`;
    throw new VaeError(
      'UNSUPPORTED',
      `ensureGradients: tfjs-core's gradients are not registered and importing '@tensorflow/tfjs-core/dist/register_all_gradients' failed (${String(bundlerError)}${why}); import '@tensorflow/tfjs-layers' or '@tensorflow/tfjs' once before training as a workaround`,
      { cause: nodeError ?? bundlerError },
    );
  }
}

/**
 * Registers tfjs-core's gradient functions once per process, which tfjs-core's
 * bundles do not do by themselves (without them, training fails with "gradient
 * function not found"). `fit` (`@vae/trainer`) calls it; call it yourself before
 * `tf.grad`, `tf.variableGrads` or `optimizer.minimize` anywhere else. It is the one
 * call a user of `@vae/divergence` alone needs for gradients in plain Node.
 *
 * In Node (plain, tsx, vitest) it first registers a resolve hook scoped to
 * tfjs-core's `dist/` folder, whose ESM files use extensionless imports, and loads
 * `@tensorflow/tfjs-core/dist/register_all_gradients` through it (about half a
 * second, once); under a bundler it imports that file directly. It does nothing
 * when the gradients are already registered.
 *
 * @throws `VaeError('UNSUPPORTED')` when neither way works, with a workaround.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * import { ensureGradients } from '@vae/divergence';
 * await ensureGradients();
 * tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor([1, 2])).print(); // -> [2, 4]
 * ```
 */
export function ensureGradients(): Promise<void> {
  pending ??= register().catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}
