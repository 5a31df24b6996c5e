import type * as tf from '@tensorflow/tfjs-core';

/**
 * One summary line per finished epoch.
 *
 * @example
 * ```ts
 * import type { EpochSummary } from '@vae/trainer';
 * const line: EpochSummary = { epoch: 0, loss: 101.5, step: 469, metrics: { kl: 25.1 } };
 * ```
 */
export interface EpochSummary {
  /** 0-based epoch index. */
  epoch: number;
  /** Mean training loss over the epoch's examples. */
  loss: number;
  /** Mean validation loss, when `validationData` was given. */
  validationLoss?: number;
  /** Means over the epoch's examples of the metrics the loss returned (see `LossResult`). */
  metrics?: Record<string, number>;
  /** Means of the metrics over the validation data. */
  validationMetrics?: Record<string, number>;
  /** Global step at the end of the epoch. */
  step: number;
}

/**
 * The trainer's own state in a checkpoint: where training stands. `fit`'s
 * randomness (the epoch's order, the batch noise and the loss's noise) is a
 * pure function of `seed`, the epoch and the step, so this is all the random
 * state there is: a resumed run draws exactly what an uninterrupted one would.
 *
 * @example
 * ```ts
 * import { memoryCheckpointStore } from '@vae/trainer';
 * const store = memoryCheckpointStore();
 * const checkpoint = await store.load();
 * console.log(`saved at epoch ${checkpoint?.state.epoch}, step ${checkpoint?.state.step}`);
 * ```
 */
export interface TrainingState {
  /** The epoch in progress (0-based). */
  epoch: number;
  /** Batches of `epoch` already done. */
  batchInEpoch: number;
  /** Optimizer steps taken since the start (the global step). */
  step: number;
  /** Seed of the shuffling, the batch noise and the per-step seeds. */
  seed: number;
  /** The batch size of the run (a resumed run must use the same). */
  batchSize: number;
  /** The number of training examples (a resumed run must have the same). */
  dataSize: number;
  /** Sum of batch losses weighted by batch size, for the epoch in progress. */
  epochLossSum: number;
  /** Examples seen in the epoch in progress. */
  epochExamples: number;
  /** Weighted sums of the metrics for the epoch in progress. */
  epochMetricSums: Record<string, number>;
  /** One summary per finished epoch. */
  history: EpochSummary[];
  /** Early stopping: the best monitored value so far. */
  best: number | null;
  /** Early stopping: epochs since the monitored value last improved. */
  epochsWithoutImprovement: number;
  /** `optimizer.getClassName()`, to detect a mismatch. */
  optimizer: string;
  /** The run this checkpoint belongs to (`checkpoint.runId` of `fit`), checked on resume. */
  runId?: string;
}

/**
 * A saved training run: the trainer state, the model's parameters by name (the
 * same names, topology and bytes as a saved model: see
 * {@link checkpointModelArtifacts}) and the optimizer's state keyed by the same
 * names. Weights are in the tfjs weights format: `weightSpecs` named
 * `model/<parameter>`, then `optimizer/<parameter>/<slot>` (e.g.
 * `optimizer/encoder.body.0.weight/m`) and `optimizer/<global>` (e.g. `iter`),
 * over one `weightData` buffer.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fit, memoryCheckpointStore } from '@vae/trainer';
 * const w = tf.variable(tf.zeros([2]));
 * const store = memoryCheckpointStore();
 * await fit({ trainableVariables: [w] }, tf.ones([8, 2]), {
 *   loss: (x) => tf.mean(tf.square(tf.sub(x, w))),
 *   checkpoint: { store },
 * });
 * const saved = await store.load();
 * saved?.weightSpecs.map((spec) => spec.name); // ['model/0', 'optimizer/iter', 'optimizer/0/m', 'optimizer/0/v']
 * ```
 */
export interface Checkpoint {
  /** Marks the object as a checkpoint of this package. */
  format: 'vae-checkpoint';
  /** The format version (2: parameters by name). */
  version: 2;
  /** Where training stands. */
  state: TrainingState;
  /** The model's architecture (`model.architecture()` of a `@vae/nn` module), when it has one. */
  modelTopology?: unknown;
  /** Names, shapes and dtypes of the tensors in `weightData`, in order. */
  weightSpecs: tf.io.WeightsManifestEntry[];
  /** The model's parameters and the optimizer's state, one buffer. */
  weightData: ArrayBuffer;
}

/**
 * Where checkpoints go. `save` replaces the stored checkpoint (atomically, for
 * stores that can); `load` returns the latest one, or `undefined` when there is none.
 * Implementations: {@link memoryCheckpointStore}, {@link ioHandlerCheckpointStore},
 * and `fileCheckpointStore` from `@vae/trainer/node`.
 *
 * @example
 * ```ts
 * import { type CheckpointStore, decodeCheckpoint, encodeCheckpoint } from '@vae/trainer';
 * const db = new Map<string, Uint8Array>();
 * const store: CheckpointStore = {
 *   async save(checkpoint) { db.set('run', encodeCheckpoint(checkpoint)); },
 *   async load() { const bytes = db.get('run'); return bytes && decodeCheckpoint(bytes); },
 * };
 * ```
 */
export interface CheckpointStore {
  /** Replaces the stored checkpoint with `checkpoint` (not modified). */
  save(checkpoint: Checkpoint): Promise<void>;
  /** The latest checkpoint, or `undefined` when none was saved. */
  load(): Promise<Checkpoint | undefined>;
}
