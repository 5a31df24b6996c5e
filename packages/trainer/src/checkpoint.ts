import type * as tf from '@tensorflow/tfjs-core';

/**
 * One summary line per finished epoch.
 *
 * @example
 * ```ts
 * const { history } = await fit(model, data, options);
 * history.forEach((e: EpochSummary) => console.log(e.epoch, e.loss, e.validationLoss));
 * ```
 */
export interface EpochSummary {
  /** 0-based epoch index. */
  epoch: number;
  /** Mean training loss over the epoch's examples. */
  loss: number;
  /** Mean validation loss, when `validationData` was given. */
  validationLoss?: number;
  /** Global step at the end of the epoch. */
  step: number;
}

/**
 * The trainer's own state in a checkpoint: where training stands, so a resumed run
 * continues exactly where this one stopped (same batches, same per-step seeds).
 *
 * @example
 * ```ts
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
  /** Seed of the shuffling and the per-step seeds. */
  seed: number;
  batchSize: number;
  dataSize: number;
  /** Sum of batch losses weighted by batch size, and the example count, for the epoch in progress. */
  epochLossSum: number;
  epochExamples: number;
  history: EpochSummary[];
  /** Early stopping: the best monitored value so far and epochs since it improved. */
  best: number | null;
  epochsWithoutImprovement: number;
  /** Shapes and names of the model's trainable variables, in order, to detect a mismatch. */
  variableShapes: number[][];
  variableNames: string[];
  /** `optimizer.getClassName()`, to detect a mismatch. */
  optimizer: string;
  /** Number of optimizer weights that follow the model's in the weight data. */
  optimizerWeightCount: number;
}

/**
 * A saved training run: the trainer state plus the model's variables and the
 * optimizer's weights, encoded in the tfjs weights format (`weightSpecs` +
 * `weightData`, model variables first, then `optimizer.getWeights()`).
 *
 * @example
 * ```ts
 * const store = memoryCheckpointStore();
 * await fit(model, data, { loss, checkpoint: { store } });
 * const saved: Checkpoint | undefined = await store.load();
 * ```
 */
export interface Checkpoint {
  format: 'vae-trainer-checkpoint';
  version: 1;
  state: TrainingState;
  weightSpecs: tf.io.WeightsManifestEntry[];
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
 * const store: CheckpointStore = {
 *   async save(checkpoint) { await db.put('run', encodeCheckpoint(checkpoint)); },
 *   async load() { const bytes = await db.get('run'); return bytes && decodeCheckpoint(bytes); },
 * };
 * ```
 */
export interface CheckpointStore {
  save(checkpoint: Checkpoint): Promise<void>;
  load(): Promise<Checkpoint | undefined>;
}
