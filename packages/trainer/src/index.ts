// Public API of @vae/trainer: list every exported name explicitly (no export *).
// ensureGradients and gradientsRegistered live in @vae/divergence; re-exported so imports keep working.
export { ensureGradients, gradientsRegistered, VaeError } from '@vae/divergence';
export { averagedModelArtifacts } from './averaged-model-artifacts.js';
export type { Checkpoint, CheckpointStore, EpochSummary, TrainingState } from './checkpoint.js';
export { decodeCheckpoint, encodeCheckpoint } from './checkpoint-codec.js';
export {
  type IoHandlerCheckpointStoreOptions,
  ioHandlerCheckpointStore,
  memoryCheckpointStore,
} from './checkpoint-stores.js';
export { fit } from './fit.js';
export { fitEvents, type TrainingRun } from './fit-events.js';
export type {
  FitOptions,
  FitResult,
  LossContext,
  LossResult,
  Trainable,
} from './fit-options.js';
export { type BudgetFitOptions, fitWithinBudget } from './fit-within-budget.js';
export { FusedAdam, type FusedAdamOptions, type PackedGradients } from './fused-adam.js';
export {
  constantWithWarmup,
  cosineDecay,
  exponentialDecay,
  type LearningRateSchedule,
} from './learning-rate.js';
export { checkpointModelArtifacts, restoreModel } from './restore-model.js';
export { type TrainStepOptions, type TrainStepResult, trainStep } from './train-step.js';
export { type BatchContext, type TrainingData, tensorData } from './training-data.js';
export type { StopReason, TrainingEvent } from './training-events.js';
export { withWarmup } from './warmup.js';
export { WeightAverage, type WeightAverageOptions } from './weight-average.js';
