import type * as tf from '@tensorflow/tfjs-core';
import type { CheckpointStore, EpochSummary } from './checkpoint.js';
import type { LearningRateSchedule } from './learning-rate.js';
import type { TrainingData } from './training-data.js';
import type { StopReason, TrainingEvent } from './training-events.js';

/**
 * Anything `fit` can train: an object exposing its trainable variables (a `VAE`
 * or any module from `@vae/nn`, or `{ trainableVariables: [w, b] }`).
 *
 * Checkpoints save parameters by name: `namedParameters()` (every `@vae/nn`
 * module has it) gives the names and the parameters that are not trained
 * but saved; without it, trainable variable `i` is named `'i'`. A model with
 * `architecture()` (every `@vae/nn` module) has its architecture recorded in
 * checkpoints, so `loadModel` can rebuild it from one.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import type { Trainable } from '@vae/trainer';
 *
 * const w = tf.variable(tf.zeros([3, 1]));
 * const model: Trainable = { trainableVariables: [w] };
 * console.log(model.trainableVariables.length); // -> 1
 * ```
 */
export interface Trainable {
  /** The variables the optimizer updates, in a fixed order. */
  readonly trainableVariables: readonly tf.Variable[];
  /** Every parameter by hierarchical name (trainable or not), in a stable order. */
  namedParameters?(): [string, tf.Variable][];
  /** The model's architecture as JSON data, recorded in checkpoints. */
  architecture?(): unknown;
}

/**
 * What a loss function may return: the scalar loss alone, or the loss with
 * auxiliary scalar metrics (say the ELBO's reconstruction and KL terms), which
 * `fit` reads back with the loss in one transfer per batch, averages per epoch
 * and reports in its events. `fit` disposes the metrics.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import type { LossResult } from '@vae/trainer';
 *
 * const result: LossResult = { loss: tf.scalar(101.2), metrics: { kl: tf.scalar(25.3) } };
 * console.log(Object.keys(result)); // -> [ 'loss', 'metrics' ]
 * ```
 */
export interface LossResult {
  /** The scalar to minimize. */
  loss: tf.Scalar;
  /** Scalars to report by name (the ELBO's `reconstruction`, `kl`, ...); `fit` disposes them. */
  metrics?: Record<string, tf.Scalar>;
}

/**
 * What the loss function is told about the step it computes.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { negativeElboLoss } from '@vae/elbo';
 * import { mlpVAE } from '@vae/nn';
 * import { fit, type LossContext } from '@vae/trainer';
 *
 * const model = mlpVAE({ inputShape: [8], hidden: [16], latentDim: 2, seed: 1 });
 * const loss = (x: tf.Tensor, { seed }: LossContext) => negativeElboLoss(model, x, { seed });
 * const data = tf.round(tf.randomUniform([32, 8], 0, 1, 'float32', 1));
 * const result = await fit(model, data, { loss, batchSize: 16 });
 * console.log(result.steps); // -> 2
 * ```
 */
export interface LossContext {
  /** The epoch (0-based). */
  epoch: number;
  /** Global step (0-based). */
  step: number;
  /**
   * A 32-bit seed for this step's randomness (e.g. the VAE's noise), derived from
   * `seed` and `step`, so a resumed run draws the same noise as an uninterrupted one.
   */
  seed: number;
  /** False when computing the validation loss. */
  training: boolean;
}

/**
 * Options for `fit`. Only `loss` is required.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { negativeElboLoss } from '@vae/elbo';
 * import { mlpVAE } from '@vae/nn';
 * import { type FitOptions, fit, tensorData } from '@vae/trainer';
 * import { fileCheckpointStore } from '@vae/trainer/node';
 *
 * const vae = mlpVAE({ inputShape: [8], hidden: [16], latentDim: 2, seed: 1 });
 * const trainSet = tf.round(tf.randomUniform([64, 8], 0, 1, 'float32', 1));
 * const testSet = tensorData(tf.round(tf.randomUniform([16, 8], 0, 1, 'float32', 2)));
 * const options: FitOptions = {
 *   loss: (x, { seed }) => negativeElboLoss(vae, x, { seed }),
 *   epochs: 3,
 *   batchSize: 16,
 *   seed: 42,
 *   clipNorm: 10,
 *   validationData: testSet,
 *   earlyStopping: { patience: 3 },
 *   checkpoint: { store: fileCheckpointStore('runs/demo/checkpoint.ckpt') },
 * };
 * const result = await fit(vae, trainSet, options);
 * console.log(result.epochs); // -> 3
 * ```
 */
export interface FitOptions<B extends tf.TensorContainer = tf.Tensor> {
  /**
   * Scalar loss of a batch (or the loss with metrics, {@link LossResult}); runs
   * inside the gradient tape. Must not dispose the batch.
   */
  loss: (batch: B, context: LossContext) => tf.Tensor | LossResult;
  /** Total epochs (a resumed run continues up to this many). Default 1. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Seed of the shuffling and of `LossContext.seed`. Default 0. */
  seed?: number;
  /** Shuffle the examples each epoch (seeded by `seed` and the epoch). Default true. */
  shuffle?: boolean;
  /** Skip the last batch when it is smaller than `batchSize`. Default false. */
  dropRemainder?: boolean;
  /** Any `tf.train` optimizer. Default `new FusedAdam(learningRate)` (the same steps as `tf.train.adam`, faster), disposed when `fit` returns. */
  optimizer?: tf.Optimizer;
  /** A number, or a schedule applied before every step. Default 1e-3 (with the default Adam). */
  learningRate?: number | LearningRateSchedule;
  /** Clip gradients to this global L2 norm. */
  clipNorm?: number;
  /** Data for the validation loss computed after every epoch (not shuffled). */
  validationData?: TrainingData<B>;
  /** The validation loss of a batch. Default `loss` (with `training: false`). */
  validationLoss?: (batch: B, context: LossContext) => tf.Tensor | LossResult;
  /** Batch size for validation. Default `batchSize`. */
  validationBatchSize?: number;
  /** Called with every event, in order; `fit` awaits it (so it can apply back-pressure). */
  onEvent?: (event: TrainingEvent) => void | Promise<void>;
  /** Stops cleanly after the current batch (a checkpoint is written if configured). */
  signal?: AbortSignal;
  /** Checkpointing and resume. */
  checkpoint?: {
    /** Where checkpoints are saved and resumed from. */
    store: CheckpointStore;
    /** Save every this many epochs (default 1), at the end, and when stopping early. */
    everyEpochs?: number;
    /** Also save every this many steps. */
    everySteps?: number;
    /** Resume from the store's checkpoint when there is one. Default true. */
    resume?: boolean;
    /**
     * An identity for the run, written in every checkpoint; resuming from a
     * checkpoint of another run is then `VaeError('CHECKPOINT_MISMATCH')`.
     */
    runId?: string;
  };
  /** Stop when the monitored loss has not improved by `minDelta` for `patience` epochs. */
  earlyStopping?: {
    /** Epochs without improvement before stopping. */
    patience: number;
    /** The least decrease that counts as an improvement (default 0). */
    minDelta?: number;
    /** Default `'validationLoss'` when `validationData` is given, else `'loss'`. */
    monitor?: 'loss' | 'validationLoss';
    /** Put back the weights of the best epoch when stopping. Default true. */
    restoreBest?: boolean;
  };
  /**
   * When the loss or a gradient is NaN/infinite the step is never applied (the model
   * keeps its last good weights); then `'throw'` (default) rejects with
   * `VaeError('TRAINING_DIVERGED')` and `'stop'` returns with `stopped.reason === 'diverged'`.
   */
  nanGuard?: 'throw' | 'stop';
  /**
   * Yield to the event loop (a macrotask) after every this many batches. Without it,
   * `fit` yields by time instead (`yieldIntervalMs`).
   */
  yieldEvery?: number;
  /**
   * Yield to the event loop after the first batch that ends at least this many
   * milliseconds after the last yield (0: after every batch). Default 25 when
   * `yieldEvery` is not given; with both, `fit` yields when either is due. A yield
   * costs a turn of the event loop (a few percent of a 14 ms step on wasm in Node),
   * so yielding by time keeps a page or a `signal` responsive within about one batch
   * plus this interval, without paying a turn after every fast batch.
   */
  yieldIntervalMs?: number;
}

/**
 * What `fit` returns.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { type FitResult, fit } from '@vae/trainer';
 *
 * const w = tf.variable(tf.zeros([2]));
 * const model = { trainableVariables: [w] };
 * const data = tf.ones([64, 2]);
 * const loss = (x: tf.Tensor) => tf.mean(tf.square(tf.sub(x, w)));
 * const result: FitResult = await fit(model, data, { loss, batchSize: 16, epochs: 2 });
 * console.log(result.steps, result.history.length, result.stopped); // -> 8 2 null
 * ```
 */
export interface FitResult {
  /** Epochs completed (including those before a resume). */
  epochs: number;
  /** Global step reached. */
  steps: number;
  /** One summary per finished epoch (including those before a resume). */
  history: EpochSummary[];
  /** Why training stopped early; null when every epoch ran. */
  stopped: {
    /** Why it stopped. */
    reason: StopReason;
    /** What happened, for people. */
    message: string;
  } | null;
  /** Where a resumed run started; null for a fresh run. */
  resumedFrom: {
    /** The epoch it resumed in. */
    epoch: number;
    /** The global step it resumed from. */
    step: number;
  } | null;
}
