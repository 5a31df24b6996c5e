import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import type { LossResult } from './fit-options.js';
import type { FusedAdam, PackedGradients } from './fused-adam.js';

type PackedGradientOptimizer = Pick<FusedAdam, 'packGradients' | 'applyPackedGradients'>;

/** Duck-typed: tf.Optimizer's `Symbol.hasInstance` makes `instanceof` true for every optimizer. */
function takesPackedGradients(
  optimizer: tf.Optimizer,
): optimizer is tf.Optimizer & PackedGradientOptimizer {
  const candidate = optimizer as Partial<PackedGradientOptimizer>;
  return (
    typeof candidate.packGradients === 'function' &&
    typeof candidate.applyPackedGradients === 'function'
  );
}

function addAll(scalars: tf.Tensor[]): tf.Tensor {
  return scalars.length === 1 ? scalars[0]! : tf.addN(scalars);
}

/**
 * Options for {@link trainStep}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import type { TrainStepOptions } from '@vae/trainer';
 *
 * const options: TrainStepOptions = { optimizer: tf.train.adam(1e-3), clipNorm: 5 };
 * console.log(options.clipNorm); // -> 5
 * ```
 */
export interface TrainStepOptions {
  /** The optimizer that applies the update (any `tf.train` optimizer). */
  optimizer: tf.Optimizer;
  /** Rescales the gradients so their global L2 norm is at most this. Default: no clipping. */
  clipNorm?: number;
}

/**
 * What one {@link trainStep} did.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ensureGradients, trainStep } from '@vae/trainer';
 *
 * await ensureGradients();
 * const w = tf.variable(tf.tensor([3, 4]));
 * const variables = [w];
 * const lossFn = () => tf.sum(tf.square(w)); // gradient 2w = [6, 8], norm 10
 * const optimizer = tf.train.sgd(0.1);
 * const { loss, gradientNorm, applied } = await trainStep(variables, lossFn, { optimizer });
 * console.log(loss, gradientNorm, applied); // -> 25 10 true
 * ```
 */
export interface TrainStepResult {
  /** The loss before the update. */
  loss: number;
  /** The metrics the loss function returned (see `LossResult`), read with the loss. */
  metrics: Record<string, number>;
  /** Global L2 norm of the gradients, before clipping. */
  gradientNorm: number;
  /** False when the loss or a gradient was NaN or infinite: nothing was updated. */
  applied: boolean;
}

/**
 * One optimization step: gradients of `loss()` with respect to `variables`
 * (`tf.variableGrads`), their global norm, optional clipping by global norm, and
 * `optimizer.applyGradients`. When the loss or the gradient norm is not finite the
 * update is skipped, so the variables and the optimizer keep their last good
 * state. Reads two numbers back (one sync per step); frees every tensor it makes.
 *
 * Gradients must be registered first (`await ensureGradients()`; `fit` does it).
 *
 * @param variables The trainable variables, in a fixed order (the optimizer's state is positional).
 * @param loss A scalar loss computed from the variables; run inside the gradient tape.
 * @param options The optimizer and clipping.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ensureGradients, trainStep } from '@vae/trainer';
 *
 * await ensureGradients();
 * const x = tf.tensor2d([[1, 0, 0], [0, 1, 0]]);
 * const y = tf.tensor2d([[1], [2]]);
 * const w = tf.variable(tf.zeros([3, 1]));
 * const optimizer = tf.train.adam(0.01);
 * const step = await trainStep([w], () => tf.losses.meanSquaredError(y, tf.matMul(x, w)), { optimizer });
 * console.log(step.loss); // -> 2.5
 * ```
 */
export async function trainStep(
  variables: readonly tf.Variable[],
  loss: () => tf.Tensor | LossResult,
  options: TrainStepOptions,
): Promise<TrainStepResult> {
  ensureArgument(variables.length > 0, () => 'trainStep: `variables` is empty');
  const { clipNorm } = options;
  ensureArgument(
    clipNorm === undefined || clipNorm > 0,
    () => `trainStep: \`clipNorm\` must be positive, got ${clipNorm}`,
  );
  // Metrics are kept out of the tape's scope and read back with the loss.
  let metrics: [string, tf.Scalar][] = [];
  const { value, grads } = tf.variableGrads(() => {
    const output = loss();
    if (output instanceof tf.Tensor) return output as tf.Scalar;
    metrics = Object.entries(output.metrics ?? {}).map(([name, t]) => [name, tf.keep(t)]);
    return output.loss;
  }, variables as tf.Variable[]);
  const ordered = variables.map((v) => grads[v.name]);
  const present = ordered.filter((g): g is tf.Tensor => g !== undefined);
  // FusedAdam packs the gradients into a few flat tensors: their squares give the
  // norm here, and the optimizer reuses them for the second moment.
  let packed: PackedGradients | undefined;
  try {
    packed = takesPackedGradients(options.optimizer)
      ? options.optimizer.packGradients(variables, ordered)
      : undefined;
    const stats = tf.tidy(() => {
      const normSquared = packed?.normSquared ?? addAll(present.map((g) => tf.sum(tf.square(g))));
      return tf.stack([
        tf.cast(value, 'float32'),
        tf.sqrt(normSquared),
        ...metrics.map(([, t]) => tf.cast(tf.reshape(t, []), 'float32')),
      ]);
    });
    const [lossValue, gradientNorm, ...metricValues] = await stats.data();
    stats.dispose();
    const applied = Number.isFinite(lossValue) && Number.isFinite(gradientNorm);
    if (applied) {
      const scale =
        clipNorm !== undefined && gradientNorm! > clipNorm ? clipNorm / gradientNorm! : 1;
      if (packed !== undefined) {
        (options.optimizer as unknown as PackedGradientOptimizer).applyPackedGradients(
          variables,
          packed,
          {
            scale,
            skip: new Set(variables.filter((_, i) => ordered[i] === undefined).map((v) => v.name)),
          },
        );
      } else {
        tf.tidy(() => {
          // A list with every variable in order, not a map: tfjs optimizers keep their
          // slots by position, and a map of numeric variable names ('8', '9') would be
          // visited in numeric order. A variable without a gradient keeps its slot
          // (tfjs skips an entry whose tensor is missing).
          const update = variables.map((v, i) => {
            const g = ordered[i];
            const tensor = g === undefined || scale === 1 ? g : tf.mul(g, scale);
            return { name: v.name, tensor: tensor as tf.Tensor };
          });
          options.optimizer.applyGradients(update);
        });
      }
    }
    return {
      loss: lossValue!,
      gradientNorm: gradientNorm!,
      applied,
      metrics: Object.fromEntries(metrics.map(([name], i) => [name, metricValues[i]!])),
    };
  } finally {
    value.dispose();
    tf.dispose(metrics.map(([, t]) => t));
    tf.dispose(present);
    if (packed !== undefined) tf.dispose([...packed.groups, ...packed.squared, packed.normSquared]);
  }
}
