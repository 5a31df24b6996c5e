import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument, formatShape } from '@vae/divergence';
import { Activation, type ActivationName } from '../activation.js';
import type { Initializer } from '../initializers.js';
import {
  hiddenMask,
  inputDegrees,
  isPermutation,
  outputMask,
  randomHiddenDegrees,
} from '../internal/made-masks.js';
import { type RolloutPick, rolloutMade } from '../internal/made-rollout.js';
import { MaskedLinear } from '../internal/masked-linear.js';
import { deriveSeed, randomSeed } from '../internal/seed.js';
import { Linear } from '../linear.js';
import { type CallOptions, Module } from '../module.js';
import type { JsonValue, ModuleConfig } from '../serialization/module-spec.js';
import type { BuildContext } from '../serialization/registry.js';

/**
 * Options of {@link MADE.call} and {@link MADE.outputs}: {@link CallOptions}. A flow's
 * MADE needs the gradient with respect to x (the default); an autoregressive
 * likelihood, whose x is data, passes `inputGradient: false`.
 *
 * @example
 * ```ts
 * import type { MadeCallOptions } from '@vae/nn';
 * const forData: MadeCallOptions = { inputGradient: false };
 * ```
 */
export type MadeCallOptions = CallOptions;

/**
 * Options of {@link MADE}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import type { MadeOptions } from '@vae/nn';
 * const options: MadeOptions = { features: 4, hidden: [32, 32], order: [3, 2, 1, 0], seed: 1 };
 * ```
 */
export interface MadeOptions {
  /** D, the size of the input vector. */
  features: number;
  /** Widths of the hidden layers (default [64, 64]; [] connects inputs to outputs directly). */
  hidden?: number[];
  /** k, the outputs per feature (default 2: a shift and a log-scale for a flow). */
  outputsPerFeature?: number;
  /** Size of a context input that feeds the first layer unmasked (default 0: none). */
  contextFeatures?: number;
  /**
   * The autoregressive order: `order[i]` is the position of feature i (a permutation of
   * 0..D-1); outputs of feature i depend on the inputs k with `order[k] < order[i]`.
   * Default [0, 1, ..., D-1].
   */
  order?: number[];
  /**
   * The degree of every hidden unit (one list per hidden layer, integers in [0, D-1]); default
   * seeded random draws (Germain et al.). Saved in the configuration, so a loaded MADE has
   * exactly the saved masks.
   */
  degrees?: number[][];
  /** Default 'relu'. */
  activation?: ActivationName;
  /** Seed of the initial weights and of the hidden degrees; random if omitted. */
  seed?: number;
  /** Initializer of the output layer's weights (default glorotUniform; flows pass zeros). */
  outputInit?: Initializer;
  /** Initializer of the output layer's bias (default zeros). */
  outputBiasInit?: Initializer;
}

/**
 * The masked autoencoder for distribution estimation (Germain et al. 2015): an MLP from x
 * `[...batch, D]` (and an optional context `[...batch, C]`) to k outputs per feature, whose
 * masks make the outputs of feature i depend only on the inputs that come before i in
 * `order`. Hidden layers are `0`, `1`, ... and the last one `output` (each `weight` [in, out]
 * and `bias`); the context enters unmasked through `context.weight` [C, first width] and
 * `outputContext.weight` [C, k * D], so every output depends on it.
 * The masks are built on the host from the saved `order` and `degrees`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MADE } from '@vae/nn';
 * const made = new MADE({ features: 3, hidden: [16], outputsPerFeature: 2, seed: 1 });
 * const [shift, logScale] = tf.tidy(() => made.outputs(tf.ones([5, 3]))); // [5, 3] each
 * tf.dispose([shift, logScale]);
 * made.dispose();
 * ```
 */
export class MADE extends Module {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'MADE';
  /** The number of autoregressive features. */
  readonly features: number;
  /** Widths of the hidden layers. */
  readonly hidden: readonly number[];
  /** Outputs per feature (2 for a shift and a log-scale). */
  readonly outputsPerFeature: number;
  /** The size of the conditioning context (0: none). */
  readonly contextFeatures: number;
  /** The autoregressive order of the features. */
  readonly order: readonly number[];
  /** The degree of each hidden unit, per hidden layer (what the masks are built from). */
  readonly degrees: readonly (readonly number[])[];
  /** The hidden layers' activation. */
  readonly activation: ActivationName;
  readonly #layers: MaskedLinear[] = [];
  #context: Linear | undefined;
  #outputContext: Linear | undefined;
  readonly #act: Activation;

  /**
   * A masked autoencoder for distribution estimation.
   *
   * @param options - Features, hidden widths, outputs per feature, context, order and seed; see {@link MadeOptions}.
   */
  constructor(options: MadeOptions) {
    super();
    const resolved = resolveOptions(options);
    const { features, hidden, outputsPerFeature, contextFeatures, order, degrees, seed } = resolved;
    this.features = features;
    this.hidden = hidden;
    this.outputsPerFeature = outputsPerFeature;
    this.contextFeatures = contextFeatures;
    this.order = order;
    this.degrees = degrees;
    this.activation = options.activation ?? 'relu';
    this.#act = new Activation(this.activation);
    let below = inputDegrees(order);
    for (const [l, width] of hidden.entries()) {
      const layer = new MaskedLinear({
        mask: hiddenMask(below, degrees[l]!),
        inFeatures: below.length,
        outFeatures: width,
        seed: deriveSeed(seed, 1, l),
      });
      this.#layers.push(this.addModule(String(l), layer));
      below = degrees[l]!;
    }
    const width = outputsPerFeature * features;
    const output = new MaskedLinear({
      mask: outputMask(below, inputDegrees(order), outputsPerFeature),
      inFeatures: below.length,
      outFeatures: width,
      seed: deriveSeed(seed, 2),
      init: options.outputInit,
      biasInit: options.outputBiasInit,
    });
    this.#layers.push(this.addModule('output', output));
    // The context reaches the first layer, and the outputs directly: the first feature in the
    // order sees no hidden unit, and would otherwise not depend on the context.
    if (contextFeatures > 0) {
      this.#context = this.#contextLayer('context', hidden[0] ?? width, { seed, stream: 3 });
    }
    if (contextFeatures > 0 && hidden.length > 0) {
      this.#outputContext = this.#contextLayer('outputContext', width, {
        seed,
        stream: 4,
        init: options.outputInit,
      });
    }
  }

  #contextLayer(
    name: string,
    outFeatures: number,
    init: { seed: number; stream: number; init?: Initializer | undefined },
  ): Linear {
    const layer = new Linear({
      inFeatures: this.contextFeatures,
      outFeatures,
      bias: false,
      seed: deriveSeed(init.seed, init.stream),
      ...(init.init === undefined ? {} : { init: init.init }),
    });
    return this.addModule(name, layer);
  }

  /**
   * x [...batch, D], and the context [...batch, C] when `contextFeatures` > 0, to the
   * outputs [...batch, k * D], parameter j of feature i at index j * D + i.
   * `options.inputGradient: false` when x is data (see {@link MadeCallOptions}).
   */
  call(x: tf.Tensor, context?: tf.Tensor, options: MadeCallOptions = {}): tf.Tensor {
    return this.#run(x, context, options.inputGradient ?? true);
  }

  /** `call(x, undefined, options)`: a MADE without context takes {@link CallOptions}. */
  override callWithOptions(x: tf.Tensor, options?: MadeCallOptions): tf.Tensor {
    return this.call(x, undefined, options);
  }

  /**
   * The k outputs, each `[...batch, D]` (batch broadcast with the context's), in the caller's
   * scope. `context` is required when `contextFeatures > 0`.
   */
  outputs(x: tf.Tensor, context?: tf.Tensor, options: MadeCallOptions = {}): tf.Tensor[] {
    return tf.split(
      this.#run(x, context, options.inputGradient ?? true),
      this.outputsPerFeature,
      -1,
    );
  }

  /**
   * Fills x [rows, D] value by value in the MADE's order: feature i's value [rows, 1] is
   * `pick(outputs, i)`, where `outputs` [rows, k] (column j: parameter j) are the MADE's
   * outputs for feature i given the values picked before it and the `context` [rows, C]
   * (required when `contextFeatures` > 0). This is how an autoregressive model is sampled
   * or inverted. It equals D full passes, each filling one more value, at a fraction of
   * the cost: the first layer is updated by one weight row per value and only feature i's
   * output columns are computed. `pick` must return a new tensor; `outputs` is freed after it.
   * Returns a new tensor, no intermediate kept.
   *
   * @example
   * ```ts
   * import '@tensorflow/tfjs-backend-cpu';
   * import * as tf from '@tensorflow/tfjs-core';
   * import { MADE } from '@vae/nn';
   * const made = new MADE({ features: 5, hidden: [16], outputsPerFeature: 1, seed: 3 });
   * // Each value: 1 where its logit is positive, given the values before it.
   * const x = made.rollout((logits) => tf.cast(tf.greater(logits, 0), 'float32'), { rows: 2 });
   * console.log(x.shape); // -> [ 2, 5 ]
   * x.dispose();
   * made.dispose();
   * ```
   */
  rollout(
    pick: RolloutPick,
    options: { rows: number; context?: tf.Tensor | undefined },
  ): tf.Tensor {
    const { rows, context } = options;
    ensureArgument(
      Number.isInteger(rows) && rows > 0,
      () => `MADE.rollout: \`rows\` must be a positive integer, got ${rows}`,
    );
    ensureArgument(
      this.#context === undefined
        ? context === undefined
        : context !== undefined &&
            context.rank === 2 &&
            context.shape[0] === rows &&
            context.shape[1] === this.contextFeatures,
      () =>
        this.#context === undefined
          ? 'MADE.rollout: this network takes no context, got one'
          : `MADE.rollout: the context must be [${rows}, ${this.contextFeatures}], got ${context === undefined ? 'none' : formatShape(context.shape)}`,
    );
    const byPosition = new Array<number>(this.features);
    for (const [i, position] of this.order.entries()) byPosition[position] = i;
    const parts = {
      features: this.features,
      outputsPerFeature: this.outputsPerFeature,
      byPosition,
      layers: this.#layers,
      act: this.#act,
      context: this.#context,
      outputContext: this.#outputContext,
    };
    return rolloutMade(parts, pick, { rows, context });
  }

  override getConfig(): ModuleConfig {
    return {
      features: this.features,
      hidden: [...this.hidden],
      outputsPerFeature: this.outputsPerFeature,
      contextFeatures: this.contextFeatures,
      order: [...this.order],
      degrees: this.degrees.map((layer) => [...layer]),
      activation: this.activation,
    };
  }

  /** Rebuilds MADE, masks included, from {@link MADE.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): MADE {
    return new MADE(readMadeConfig(config, context, 'MADE'));
  }

  #run(x: tf.Tensor, context: tf.Tensor | undefined, inputGradient: boolean): tf.Tensor {
    ensureArgument(
      x.rank >= 1 && x.shape[x.rank - 1] === this.features,
      () =>
        `MADE: the input must be [...batch, ${this.features}], got a tensor of shape ${formatShape(x.shape)}`,
    );
    ensureArgument((context === undefined) === (this.#context === undefined), () =>
      this.#context === undefined
        ? 'MADE: this network takes no context, got one'
        : `MADE: this network needs a context [...batch, ${this.contextFeatures}]`,
    );
    let h = x;
    const last = this.#layers.length - 1;
    for (const [l, layer] of this.#layers.entries()) {
      // Only the first layer sees x; every later input is a hidden layer's.
      let pre = layer.call(h, l > 0 || inputGradient);
      if (l === 0 && context !== undefined) pre = tf.add(pre, this.#context!.call(context));
      if (l === last && l > 0 && context !== undefined) {
        pre = tf.add(pre, this.#outputContext!.call(context));
      }
      h = l < last ? this.#act.call(pre) : pre;
    }
    return h;
  }
}

type ResolvedOptions = Required<
  Pick<
    MadeOptions,
    'features' | 'hidden' | 'outputsPerFeature' | 'contextFeatures' | 'order' | 'degrees' | 'seed'
  >
>;

/** The options with their defaults, checked (the hidden degrees drawn from the seed if absent). */
function resolveOptions(options: MadeOptions): ResolvedOptions {
  const { features } = options;
  const hidden = options.hidden ?? [64, 64];
  const outputsPerFeature = options.outputsPerFeature ?? 2;
  const contextFeatures = options.contextFeatures ?? 0;
  ensureArgument(
    Number.isInteger(features) && features > 0,
    () => `MADE: \`features\` must be a positive integer, got ${features}`,
  );
  ensureArgument(
    Array.isArray(hidden) && hidden.every((h) => Number.isInteger(h) && h > 0),
    () => `MADE: \`hidden\` must be a list of positive integers, got ${JSON.stringify(hidden)}`,
  );
  ensureArgument(
    Number.isInteger(outputsPerFeature) && outputsPerFeature > 0,
    () => `MADE: \`outputsPerFeature\` must be a positive integer, got ${outputsPerFeature}`,
  );
  ensureArgument(
    Number.isInteger(contextFeatures) && contextFeatures >= 0,
    () => `MADE: \`contextFeatures\` must be a non-negative integer, got ${contextFeatures}`,
  );
  const order = options.order ?? Array.from({ length: features }, (_, i) => i);
  ensureArgument(
    isPermutation(order, features),
    () =>
      `MADE: \`order\` must be a permutation of 0..${features - 1}, got ${JSON.stringify(order).slice(0, 80)}`,
  );
  const seed = options.seed ?? randomSeed();
  const degrees = options.degrees ?? randomHiddenDegrees(features, hidden, deriveSeed(seed, 0));
  checkDegrees(degrees, hidden, features);
  return {
    features,
    hidden: [...hidden],
    outputsPerFeature,
    contextFeatures,
    order: [...order],
    degrees: degrees.map((layer) => [...layer]),
    seed,
  };
}

function checkDegrees(degrees: unknown, hidden: readonly number[], features: number): void {
  const ok =
    Array.isArray(degrees) &&
    degrees.length === hidden.length &&
    degrees.every(
      (layer, l) =>
        Array.isArray(layer) &&
        layer.length === hidden[l] &&
        layer.every((d) => Number.isInteger(d) && d >= 0 && d <= Math.max(features - 1, 0)),
    );
  ensureArgument(
    ok,
    () =>
      `MADE: \`degrees\` must hold one list per hidden layer, of its width, with integers in [0, ${features - 1}]`,
  );
}

/** The options MADE, MAF and IAF rebuild from (their configurations share these fields). */
export function readMadeConfig(
  config: ModuleConfig,
  context: BuildContext,
  owner: string,
): MadeOptions {
  const read = context.read(config, owner);
  const contextFeatures = read.value('contextFeatures') ?? 0;
  return {
    features: read.positiveInteger('features'),
    hidden: read.shape('hidden', { allowEmpty: true }),
    outputsPerFeature: read.positiveInteger('outputsPerFeature', 2),
    contextFeatures: contextFeatures as number,
    order: read.list('order', 2 ** 16) as number[],
    degrees: read.list('degrees', 16) as JsonValue[] as number[][],
    activation: read.value('activation') as ActivationName,
  };
}
