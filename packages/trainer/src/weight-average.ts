import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument, VaeError } from '@vae/divergence';
import type { Checkpoint, CheckpointStore } from './checkpoint.js';
import type { Trainable } from './fit-options.js';
import {
  decodeAverage,
  AVERAGE_PREFIX as PREFIX,
  AVERAGE_UPDATES as UPDATES,
} from './internal/average-weights.js';
import type { TrainingEvent } from './training-events.js';

/**
 * Options of {@link WeightAverage}.
 *
 * @example
 * ```ts
 * import type { WeightAverageOptions } from '@vae/trainer';
 * const options: WeightAverageOptions = { decay: 0.999 };
 * ```
 */
export interface WeightAverageOptions {
  /** Weight of the old average at each update, in [0, 1) (default 0.999: about the last 1000 steps). */
  decay?: number;
  /**
   * Use min(decay, (1 + n) / (10 + n)) at the n-th update (0-based), as
   * TensorFlow's `ExponentialMovingAverage` with `num_updates`, so the average
   * forgets the initial weights quickly early in training. Default true.
   */
  warmup?: boolean;
}

/**
 * An exponential moving average of a model's trainable weights (Polyak
 * averaging): after each optimizer step, average <- d * average + (1 - d) * weights.
 * The averaged weights usually evaluate better than the last ones (they smooth
 * the noise of the final steps).
 *
 * - During `fit`, pass {@link WeightAverage.onEvent} (it updates on every
 *   `'batch'` event) and wrap the checkpoint store with
 *   {@link WeightAverage.checkpointStore}, which saves the average by name with
 *   every checkpoint (`average/<parameter name>`) and restores it on resume.
 * - To evaluate or save the averaged model, {@link WeightAverage.apply} swaps
 *   the averaged weights into the model and {@link WeightAverage.restore} swaps
 *   the trained ones back; {@link WeightAverage.withAveragedWeights} does both
 *   around a function (a validation loss, a `saveModel` call).
 *   {@link averagedModelArtifacts} reads the averaged model out of a checkpoint.
 *
 * The average's variables are its own (`dispose()` frees them); the model's are borrowed.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fit, memoryCheckpointStore, WeightAverage } from '@vae/trainer';
 * const w = tf.variable(tf.zeros([2]));
 * const model = { trainableVariables: [w] };
 * const average = new WeightAverage(model, { decay: 0.9 });
 * await fit(model, tf.ones([16, 2]), {
 *   loss: (x) => tf.mean(tf.square(tf.sub(x, w))),
 *   learningRate: 0.1,
 *   epochs: 3,
 *   onEvent: average.onEvent,
 *   checkpoint: { store: average.checkpointStore(memoryCheckpointStore()) },
 * });
 * const averaged = await average.withAveragedWeights(() => w.arraySync()); // lags behind w
 * console.log(averaged, w.arraySync());
 * average.dispose();
 * ```
 */
export class WeightAverage {
  /** The weight of the old average at each update. */
  readonly decay: number;
  /** Whether the decay ramps up over the first updates. */
  readonly warmup: boolean;
  /** `[name, model variable, average]` for every trainable parameter. */
  readonly #entries: [string, tf.Variable, tf.Variable][];
  #updates = 0;
  /** The trained weights while the average is applied. */
  #saved: tf.Tensor[] | undefined;
  /** Re-start from the current weights at the next update (a resumed run saved no average). */
  #resetPending = false;

  /**
   * Starts an exponential moving average of `model`'s trainable weights.
   *
   * @param model The model whose trainable variables are averaged (a `@vae/nn`
   *   module, or any {@link Trainable}); names come from `namedParameters()`
   *   (positions without it). The average starts at the current weights.
   * @param options `decay` (default 0.999) and `warmup` (default true).
   */
  constructor(model: Trainable, options: WeightAverageOptions = {}) {
    const { decay = 0.999, warmup = true } = options;
    ensureArgument(
      Number.isFinite(decay) && decay >= 0 && decay < 1,
      () => `WeightAverage: \`decay\` must be in [0, 1), got ${decay}`,
    );
    const trainable = [...(model?.trainableVariables ?? [])];
    ensureArgument(
      trainable.length > 0,
      () => 'WeightAverage: `model.trainableVariables` is empty or missing',
    );
    const named =
      typeof model.namedParameters === 'function'
        ? model.namedParameters()
        : trainable.map((variable, i): [string, tf.Variable] => [String(i), variable]);
    const isTrainable = new Set(trainable);
    this.decay = decay;
    this.warmup = warmup;
    this.#entries = named
      .filter(([, variable]) => isTrainable.has(variable))
      .map(([name, variable]) => [name, variable, tf.variable(variable, false)]);
  }

  /** Updates applied so far (restored with a checkpoint). */
  get updates(): number {
    return this.#updates;
  }

  /** The decay the next update uses: min(decay, (1 + n) / (10 + n)) with warm-up. */
  get currentDecay(): number {
    const n = this.#updates;
    return this.warmup ? Math.min(this.decay, (1 + n) / (10 + n)) : this.decay;
  }

  /** One update from the model's current weights (call it after every optimizer step). */
  update(): void {
    this.#checkNotApplied('update');
    if (this.#resetPending) {
      this.#resetPending = false;
      this.#updates = 0;
      tf.tidy(() => {
        for (const [, variable, average] of this.#entries) average.assign(variable);
      });
    }
    const d = this.currentDecay;
    tf.tidy(() => {
      for (const [, variable, average] of this.#entries) {
        average.assign(tf.add(tf.mul(average, d), tf.mul(variable, 1 - d)));
      }
    });
    this.#updates++;
  }

  /** A `fit` event listener: one update after every `'batch'` event (a step that was applied). */
  readonly onEvent = (event: TrainingEvent): void => {
    if (event.type === 'batch') this.update();
  };

  /** The averaged weights by parameter name (the average's own variables, borrowed). */
  stateDict(): Map<string, tf.Variable> {
    return new Map(this.#entries.map(([name, , average]) => [name, average]));
  }

  /** Puts the averaged weights into the model, keeping the trained ones for {@link WeightAverage.restore}. */
  apply(): void {
    this.#checkNotApplied('apply');
    this.#saved = tf.tidy(() =>
      this.#entries.map(([, variable, average]) => {
        const trained = tf.clone(variable);
        variable.assign(average);
        return trained;
      }),
    );
  }

  /** Puts the trained weights back after {@link WeightAverage.apply}. */
  restore(): void {
    const saved = this.#saved;
    if (saved === undefined) {
      throw new VaeError('INVALID_ARGUMENT', 'WeightAverage.restore: the average is not applied');
    }
    this.#entries.forEach(([, variable], i) => {
      variable.assign(saved[i]!);
    });
    tf.dispose(saved);
    this.#saved = undefined;
  }

  /**
   * Runs `fn` with the averaged weights in the model, then puts the trained
   * ones back (also when `fn` throws). For a synchronous function (a loss) see
   * {@link WeightAverage.averaged}.
   */
  async withAveragedWeights<T>(fn: () => T | Promise<T>): Promise<T> {
    this.apply();
    try {
      return await fn();
    } finally {
      this.restore();
    }
  }

  /**
   * `fn` evaluated with the averaged weights: e.g. `fit`'s `validationLoss:
   * average.averaged(iwaeValidationLoss(model))`, so the validation loss (and
   * early stopping) sees the averaged model.
   */
  averaged<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    return (...args: A) => {
      this.apply();
      try {
        return fn(...args);
      } finally {
        this.restore();
      }
    };
  }

  /**
   * `store`, with the average saved beside the model in every checkpoint (weights
   * `average/<parameter name>` and the update count) and restored from it on load.
   * A checkpoint without an average (a run that had none) restarts the average
   * from the restored weights at the next update.
   */
  checkpointStore(store: CheckpointStore): CheckpointStore {
    return {
      save: async (checkpoint) => store.save(await this.#withAverage(checkpoint)),
      load: async () => {
        const checkpoint = await store.load();
        if (checkpoint !== undefined) this.#restoreFrom(checkpoint);
        return checkpoint;
      },
    };
  }

  /** Frees the average (and the trained weights kept while it is applied). */
  dispose(): void {
    if (this.#saved !== undefined) this.restore();
    for (const [, , average] of this.#entries) average.dispose();
  }

  async #withAverage(checkpoint: Checkpoint): Promise<Checkpoint> {
    const updates = tf.scalar(this.#updates, 'int32');
    try {
      const named = [
        ...this.#entries.map(([name, , average]) => ({ name: PREFIX + name, tensor: average })),
        { name: UPDATES, tensor: updates },
      ];
      const own = new Set(named.map(({ name }) => name));
      const kept = checkpoint.weightSpecs.filter((spec) => !own.has(spec.name));
      if (kept.length !== checkpoint.weightSpecs.length) {
        throw new VaeError(
          'INVALID_ARGUMENT',
          'WeightAverage: the checkpoint already holds an average',
        );
      }
      const { data, specs } = await tf.io.encodeWeights(named);
      return {
        ...checkpoint,
        weightSpecs: [...checkpoint.weightSpecs, ...specs],
        weightData: tf.io.concatenateArrayBuffers([checkpoint.weightData, data as ArrayBuffer]),
      };
    } finally {
      updates.dispose();
    }
  }

  #restoreFrom(checkpoint: Checkpoint): void {
    const decoded = decodeAverage(checkpoint);
    try {
      const updates = decoded.get(UPDATES);
      if (updates === undefined) {
        this.#resetPending = true;
        return;
      }
      const missing = this.#entries.filter(([name]) => !decoded.has(PREFIX + name));
      if (missing.length > 0) {
        throw new VaeError(
          'CHECKPOINT_MISMATCH',
          `WeightAverage: the checkpoint's average has no ${missing.map(([name]) => name).join(', ')}`,
        );
      }
      tf.tidy(() => {
        for (const [name, , average] of this.#entries) average.assign(decoded.get(PREFIX + name)!);
      });
      this.#updates = updates.dataSync()[0]!;
      this.#resetPending = false;
    } finally {
      tf.dispose([...decoded.values()]);
    }
  }

  #checkNotApplied(method: string): void {
    if (this.#saved !== undefined) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        `WeightAverage.${method}: the average is applied to the model; call restore() first`,
      );
    }
  }
}
