import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';

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
  try {
    const stats = tf.tidy(() => {
      const present = ordered.filter((g): g is tf.Tensor => g !== undefined);
      const squares = present.map((g) => tf.sum(tf.square(g)));
      const normSquared = squares.length === 1 ? squares[0]! : tf.addN(squares);
      return tf.stack([tf.cast(value, 'float32'), tf.sqrt(normSquared)]);
    });
    const [lossValue, gradientNorm] = await stats.data();
    stats.dispose();
    const applied = Number.isFinite(lossValue) && Number.isFinite(gradientNorm);
    if (applied) {
      const scale =
        clipNorm !== undefined && gradientNorm! > clipNorm ? clipNorm / gradientNorm! : 1;
      tf.tidy(() => {
        const update: tf.NamedTensorMap = {};
        variables.forEach((v, i) => {
          const g = ordered[i];
          if (g !== undefined) update[v.name] = scale === 1 ? g : tf.mul(g, scale);
        });
        options.optimizer.applyGradients(update);
      });
    }
    return { loss: lossValue!, gradientNorm: gradientNorm!, applied };
  } finally {
    value.dispose();
    tf.dispose(ordered.filter((g): g is tf.Tensor => g !== undefined));
  }
}
