import * as tf from '@tensorflow/tfjs-core';
import { ensureGradients, VaeError } from '@vae/divergence';
import type { EpochSummary, TrainingState } from './checkpoint.js';
import type { FitOptions, FitResult, LossContext, Trainable } from './fit-options.js';
import { FusedAdam } from './fused-adam.js';
import {
  captureCheckpoint,
  checkCompatible,
  type NamedModel,
  restoreCheckpoint,
} from './internal/checkpoint-state.js';
import { EarlyStopping } from './internal/early-stopping.js';
import { meanLoss, setLearningRate, validateFitArguments } from './internal/fit-helpers.js';
import { batchSeed, epochPermutation, lossSeed, validationSeed } from './internal/random.js';
import { nextMacrotask } from './internal/yield.js';
import { trainStep } from './train-step.js';
import { type TrainingData, tensorData } from './training-data.js';
import type { StopReason, TrainingEvent } from './training-events.js';

type RunState = Omit<TrainingState, 'optimizer'>;

/** `fit` yields to the event loop once this many milliseconds have passed since its last yield. */
const YIELD_INTERVAL_MS = 25;

/**
 * Trains `model` on `data` by minimizing `options.loss`, batch by batch, with a
 * `tf.train` optimizer (default Adam, 1e-3). Each epoch visits every example once
 * in an order seeded by `seed` and the epoch; each step computes gradients of the
 * loss with respect to `model.trainableVariables`, clips them by global norm if
 * asked, and applies them. Between batches it yields a macrotask once 25 ms have
 * passed since the last one (`yieldIntervalMs`, `yieldEvery`), so a page stays
 * responsive. Every tensor it makes is freed (the batches `data` returns included).
 *
 * - Events (`onEvent`, or {@link fitEvents} as an async iterator): batch, epoch, checkpoint, stop.
 * - `signal` stops after the current batch; the result says `stopped: { reason: 'aborted' }`.
 * - `checkpoint.store` saves model, optimizer and trainer state (atomically for the file
 *   store) and resumes from them: a resumed run ends with the same weights as an
 *   uninterrupted one with the same seed.
 * - NaN guard: a step whose loss or gradient is not finite is never applied; see `nanGuard`.
 *
 * @param model Exposes `trainableVariables` (e.g. a `VAE` from `@vae/nn`).
 * @param data `{ size, getBatch(indices) }` (see {@link TrainingData}), or a tensor `[n, ...]`
 *   whose batches are slices along axis 0.
 * @param options The loss and everything else ({@link FitOptions}).
 * @throws `VaeError('TRAINING_DIVERGED')` on a non-finite loss with `nanGuard: 'throw'`;
 *   `VaeError('CHECKPOINT_MISMATCH' | 'CHECKPOINT_CORRUPT')` on a bad checkpoint;
 *   `VaeError('INVALID_ARGUMENT')` for bad options.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { negativeElboLoss } from '@vae/elbo';
 * import { mlpVAE } from '@vae/nn';
 * import { fit } from '@vae/trainer';
 *
 * const vae = mlpVAE({ inputShape: [8], hidden: [16], latentDim: 2, seed: 1 });
 * const train = tf.round(tf.randomUniform([64, 8], 0, 1, 'float32', 1)); // binary data [64, 8]
 * const result = await fit(vae, train, {
 *   loss: (x, { seed }) => negativeElboLoss(vae, x, { seed }),
 *   epochs: 3,
 *   batchSize: 16,
 *   seed: 1,
 *   onEvent: (e) => {
 *     if (e.type === 'epoch') console.log(e.epoch, e.loss);
 *   },
 * });
 * console.log(result.steps); // -> 12
 * ```
 */
export async function fit<B extends tf.TensorContainer = tf.Tensor>(
  model: Trainable,
  data: TrainingData<B> | tf.Tensor,
  options: FitOptions<B>,
): Promise<FitResult> {
  const dataset = (data instanceof tf.Tensor ? tensorData(data) : data) as TrainingData<B>;
  validateFitArguments(dataset, options);
  const named = namedModel(model);
  await ensureGradients();
  const schedule = options.learningRate ?? 1e-3;
  const initialRate = typeof schedule === 'number' ? schedule : schedule(0, 0);
  const optimizer = options.optimizer ?? new FusedAdam(initialRate);
  const trainer = new Run({ model: named, data: dataset, options, optimizer });
  try {
    return await trainer.run();
  } finally {
    trainer.dispose();
    if (options.optimizer === undefined) optimizer.dispose();
  }
}

/** The model's parameters by name (positions when it has no names) and its architecture. */
function namedModel(model: Trainable): NamedModel {
  const trainable = [...(model?.trainableVariables ?? [])];
  if (trainable.length === 0) {
    throw new VaeError('INVALID_ARGUMENT', 'fit: `model.trainableVariables` is empty or missing');
  }
  const parameters: [string, tf.Variable][] =
    typeof model.namedParameters === 'function'
      ? model.namedParameters()
      : trainable.map((variable, i) => [String(i), variable]);
  const listed = new Set(parameters.map(([, variable]) => variable));
  const unnamed = trainable.filter((variable) => !listed.has(variable));
  if (unnamed.length > 0) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `fit: ${unnamed.length} trainable variable(s) are missing from model.namedParameters()`,
    );
  }
  const topology = typeof model.architecture === 'function' ? tryArchitecture(model) : undefined;
  return { parameters, trainable, topology };
}

/** The architecture, or undefined for a model made of modules that cannot describe themselves. */
function tryArchitecture(model: Trainable): unknown {
  try {
    return model.architecture?.();
  } catch (error) {
    if (VaeError.isInstance(error) && error.code === 'UNSUPPORTED') return undefined;
    throw error;
  }
}

class Run<B extends tf.TensorContainer> {
  private readonly batchSize: number;
  private readonly epochs: number;
  private state: RunState;
  private readonly earlyStop: EarlyStopping | undefined;
  private resumedFrom: FitResult['resumedFrom'] = null;
  /** When `fit` last yielded to the event loop (or started). */
  private lastYield = performance.now();

  private readonly model: NamedModel;
  private readonly variables: tf.Variable[];
  private readonly data: TrainingData<B>;
  private readonly options: FitOptions<B>;
  private readonly optimizer: tf.Optimizer;

  constructor(parts: {
    model: NamedModel;
    data: TrainingData<B>;
    options: FitOptions<B>;
    optimizer: tf.Optimizer;
  }) {
    ({
      model: this.model,
      data: this.data,
      options: this.options,
      optimizer: this.optimizer,
    } = parts);
    this.variables = this.model.trainable;
    const { options, data } = parts;
    this.batchSize = options.batchSize ?? 32;
    this.epochs = options.epochs ?? 1;
    this.state = {
      epoch: 0,
      batchInEpoch: 0,
      step: 0,
      seed: options.seed ?? 0,
      batchSize: this.batchSize,
      dataSize: data.size,
      epochLossSum: 0,
      epochExamples: 0,
      epochMetricSums: {},
      history: [],
      best: null,
      epochsWithoutImprovement: 0,
      ...(options.checkpoint?.runId === undefined ? {} : { runId: options.checkpoint.runId }),
    };
    const config = options.earlyStopping;
    const monitor =
      config?.monitor ?? (options.validationData !== undefined ? 'validationLoss' : 'loss');
    this.earlyStop = config === undefined ? undefined : new EarlyStopping(config, monitor);
  }

  dispose(): void {
    this.earlyStop?.dispose();
  }

  /** Whether to yield after this batch: every `yieldEvery` batches and/or every `yieldIntervalMs`. */
  private yieldDue(): boolean {
    const { yieldEvery, yieldIntervalMs } = this.options;
    if (yieldEvery !== undefined && this.state.batchInEpoch % yieldEvery === 0) return true;
    const interval = yieldIntervalMs ?? (yieldEvery === undefined ? YIELD_INTERVAL_MS : undefined);
    return interval !== undefined && performance.now() - this.lastYield >= interval;
  }

  private emit(event: TrainingEvent): void | Promise<void> {
    return this.options.onEvent?.(event);
  }

  private batchesPerEpoch(): number {
    const whole = Math.floor(this.data.size / this.batchSize);
    return this.options.dropRemainder || whole * this.batchSize === this.data.size
      ? whole
      : whole + 1;
  }

  async run(): Promise<FitResult> {
    await this.resume();
    const batches = this.batchesPerEpoch();
    while (this.state.epoch < this.epochs) {
      const { epoch } = this.state;
      const order =
        this.options.shuffle === false
          ? Uint32Array.from({ length: this.data.size }, (_, i) => i)
          : epochPermutation(this.data.size, this.state.seed, epoch);
      const epochStart = performance.now();
      let last = epochStart;
      let epochTrainSeconds = 0;
      let epochTrainExamples = 0;
      while (this.state.batchInEpoch < batches) {
        if (this.options.signal?.aborted)
          return this.stop('aborted', 'fit: stopped by the abort signal');
        const start = this.state.batchInEpoch * this.batchSize;
        const indices = Array.from(
          order.subarray(start, Math.min(start + this.batchSize, this.data.size)),
        );
        const diverged = await this.step(indices, last);
        if (diverged !== undefined) return diverged;
        epochTrainSeconds += (performance.now() - last) / 1000;
        epochTrainExamples += indices.length;
        const every = this.options.checkpoint?.everySteps;
        if (every !== undefined && this.state.step % every === 0) await this.save();
        if (this.yieldDue()) {
          await nextMacrotask();
          this.lastYield = performance.now();
        }
        last = performance.now(); // saving and yielding do not count as training time
      }
      const stop = await this.endEpoch(
        epochStart,
        epochTrainExamples / Math.max(epochTrainSeconds, 1e-9),
      );
      if (stop !== undefined) return stop;
    }
    if (this.options.checkpoint !== undefined) await this.save();
    return this.result(null);
  }

  /** One batch; returns a result when training must stop because it diverged. */
  private async step(indices: number[], previousEnd: number): Promise<FitResult | undefined> {
    const { epoch, step, seed } = this.state;
    const schedule = this.options.learningRate;
    const learningRate = typeof schedule === 'function' ? schedule(step, epoch) : undefined;
    if (learningRate !== undefined) setLearningRate(this.optimizer, learningRate);
    const context: LossContext = { epoch, step, seed: lossSeed(seed, step), training: true };
    const batch = await this.data.getBatch(indices, {
      epoch,
      step,
      seed: batchSeed(seed, step),
      training: true,
    });
    let result: Awaited<ReturnType<typeof trainStep>>;
    try {
      result = await trainStep(this.variables, () => this.options.loss(batch, context), {
        optimizer: this.optimizer,
        ...(this.options.clipNorm !== undefined && { clipNorm: this.options.clipNorm }),
      });
    } finally {
      tf.dispose(batch);
    }
    if (!result.applied) {
      const message = `fit: the ${Number.isFinite(result.loss) ? 'gradient norm' : 'loss'} was ${Number.isFinite(result.loss) ? result.gradientNorm : result.loss} at epoch ${epoch}, step ${step}; the update was not applied and the model keeps its last good weights`;
      if (this.options.nanGuard === 'stop') return this.stop('diverged', message, false);
      await this.emit({ type: 'stop', reason: 'diverged', epoch, step, message });
      throw new VaeError('TRAINING_DIVERGED', message);
    }
    this.state.step++;
    this.state.batchInEpoch++;
    this.state.epochLossSum += result.loss * indices.length;
    this.state.epochExamples += indices.length;
    const sums = this.state.epochMetricSums;
    for (const [name, value] of Object.entries(result.metrics)) {
      sums[name] = (sums[name] ?? 0) + value * indices.length;
    }
    const seconds = Math.max((performance.now() - previousEnd) / 1000, 1e-9);
    await this.emit({
      type: 'batch',
      epoch,
      batch: this.state.batchInEpoch - 1,
      step: this.state.step,
      loss: result.loss,
      metrics: result.metrics,
      gradientNorm: result.gradientNorm,
      learningRate:
        learningRate ?? (this.optimizer as { learningRate?: number }).learningRate ?? Number.NaN,
      size: indices.length,
      samplesPerSecond: indices.length / seconds,
    });
    return undefined;
  }

  private async endEpoch(
    epochStart: number,
    samplesPerSecond: number,
  ): Promise<FitResult | undefined> {
    const { epoch, step, seed } = this.state;
    const examples = Math.max(this.state.epochExamples, 1);
    const loss = this.state.epochLossSum / examples;
    const metrics = Object.fromEntries(
      Object.entries(this.state.epochMetricSums).map(([name, sum]) => [name, sum / examples]),
    );
    let validation: { loss: number; metrics: Record<string, number> } | undefined;
    const { validationData } = this.options;
    if (validationData !== undefined) {
      validation = await meanLoss(
        validationData,
        this.options.validationLoss ?? this.options.loss,
        {
          batchSize: this.options.validationBatchSize ?? this.batchSize,
          context: { epoch, step, seed: validationSeed(seed, epoch), training: false },
        },
      );
    }
    const validationLoss = validation?.loss;
    const summary: EpochSummary = {
      epoch,
      loss,
      step,
      ...(Object.keys(metrics).length > 0 && { metrics }),
      ...(validation !== undefined && { validationLoss: validation.loss }),
      ...(validation !== undefined &&
        Object.keys(validation.metrics).length > 0 && { validationMetrics: validation.metrics }),
    };
    this.state.history.push(summary);
    this.state = {
      ...this.state,
      epoch: epoch + 1,
      batchInEpoch: 0,
      epochLossSum: 0,
      epochExamples: 0,
      epochMetricSums: {},
    };
    await this.emit({
      type: 'epoch',
      ...summary,
      samplesPerSecond,
      seconds: (performance.now() - epochStart) / 1000,
    });
    const early = this.earlyStop?.update(this.state, { loss, validationLoss }, this.variables);
    if (early !== undefined) return this.stop('early-stopping', early);
    const every = this.options.checkpoint?.everyEpochs ?? 1;
    if (
      this.options.checkpoint !== undefined &&
      this.state.epoch % every === 0 &&
      this.state.epoch < this.epochs
    ) {
      await this.save();
    }
    return undefined;
  }

  private async stop(reason: StopReason, message: string, save = true): Promise<FitResult> {
    if (save && this.options.checkpoint !== undefined) await this.save();
    await this.emit({
      type: 'stop',
      reason,
      epoch: this.state.epoch,
      step: this.state.step,
      message,
    });
    return this.result({ reason, message });
  }

  private result(stopped: FitResult['stopped']): FitResult {
    return {
      epochs: this.state.history.length,
      steps: this.state.step,
      history: structuredClone(this.state.history),
      stopped,
      resumedFrom: this.resumedFrom,
    };
  }

  private async save(): Promise<void> {
    const config = this.options.checkpoint;
    if (config === undefined) return;
    const checkpoint = await captureCheckpoint(this.model, this.optimizer, this.state);
    await config.store.save(checkpoint);
    await this.emit({ type: 'checkpoint', epoch: this.state.epoch, step: this.state.step });
  }

  private async resume(): Promise<void> {
    const config = this.options.checkpoint;
    if (config === undefined || config.resume === false) return;
    const checkpoint = await config.store.load();
    if (checkpoint === undefined) return;
    checkCompatible(checkpoint, {
      optimizer: this.optimizer,
      batchSize: this.batchSize,
      dataSize: this.data.size,
      seed: this.state.seed,
      runId: this.options.checkpoint?.runId,
    });
    await restoreCheckpoint(checkpoint, this.model, this.optimizer);
    const { optimizer, ...state } = checkpoint.state;
    this.state = { ...state, epochMetricSums: state.epochMetricSums ?? {} };
    this.resumedFrom = { epoch: state.epoch, step: state.step };
  }
}
