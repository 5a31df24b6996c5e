import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
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
 * const options: TrainStepOptions = { optimizer: tf.train.adam(1e-3), clipNorm: 5 };
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
 * const { loss, gradientNorm, applied } = await trainStep(variables, lossFn, { optimizer });
 * ```
 */
export interface TrainStepResult {
  /** The loss before the update. */
  loss: number;
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
 * await ensureGradients();
 * const w = tf.variable(tf.zeros([3, 1]));
 * const optimizer = tf.train.adam(0.01);
 * const step = await trainStep([w], () => tf.losses.meanSquaredError(y, tf.matMul(x, w)), { optimizer });
 * console.log(step.loss, step.gradientNorm);
 * ```
 */
export async function trainStep(
  variables: readonly tf.Variable[],
  loss: () => tf.Scalar,
  options: TrainStepOptions,
): Promise<TrainStepResult> {
  ensureArgument(variables.length > 0, () => 'trainStep: `variables` is empty');
  const { clipNorm } = options;
  ensureArgument(
    clipNorm === undefined || clipNorm > 0,
    () => `trainStep: \`clipNorm\` must be positive, got ${clipNorm}`,
  );
  const { value, grads } = tf.variableGrads(loss, variables as tf.Variable[]);
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
      return tf.stack([tf.cast(value, 'float32'), tf.sqrt(normSquared)]);
    });
    const [lossValue, gradientNorm] = await stats.data();
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
          const update: tf.NamedTensorMap = {};
          variables.forEach((v, i) => {
            const g = ordered[i];
            if (g !== undefined) update[v.name] = scale === 1 ? g : tf.mul(g, scale);
          });
          options.optimizer.applyGradients(update);
        });
      }
    }
    return { loss: lossValue!, gradientNorm: gradientNorm!, applied };
  } finally {
    value.dispose();
    tf.dispose(present);
    if (packed !== undefined) tf.dispose([...packed.groups, ...packed.squared, packed.normSquared]);
  }
}
