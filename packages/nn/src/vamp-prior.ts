import * as tf from '@tensorflow/tfjs-core';
import { Categorical, type Distribution, MixtureSameFamily } from '@vae/distributions';
import { ensureArgument, formatShape, seededUniform, VaeError } from '@vae/divergence';
import type { Encoder } from './encoder.js';
import { owning } from './internal/own.js';
import { randomSeed } from './internal/seed.js';
import { Linear } from './linear.js';
import type { Module } from './module.js';
import { Prior } from './prior.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/**
 * Options of {@link VampPrior}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import type { VampPriorOptions } from '@vae/nn';
 * const options: VampPriorOptions = { latentDim: 20, components: 500, dataShape: [784], seed: 1 };
 * ```
 */
export interface VampPriorOptions {
  /** The size of z. */
  latentDim: number;
  /** Number of pseudo-inputs K. */
  components: number;
  /** Shape of one data example, e.g. [784] or [28, 28, 1]. */
  dataShape: readonly number[];
  /**
   * Seed of the initial pseudo-inputs (uniform on [0.45, 0.55], the middle of
   * [0, 1]-valued data); random if omitted.
   */
  seed?: number;
}

/**
 * The VampPrior (Tomczak & Welling 2018): p(z) = (1/K) sum_k q(z | u_k), the
 * VAE's own encoder applied to K learned pseudo-inputs u_k (the parameter
 * `pseudoInputs` [K, ...dataShape]). The VAE binds its encoder to it; gradients
 * reach the pseudo-inputs through the encoder (whose first layer must compute
 * input gradients). Its KL has no closed form: the ELBO uses Monte Carlo.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { mlpVAE, VampPrior } from '@vae/nn';
 * const model = mlpVAE({
 *   inputShape: [784], hidden: [64], latentDim: 4, seed: 1,
 *   prior: { kind: 'vamp', components: 10 },
 * });
 * model.prior instanceof VampPrior; // true
 * const z = model.prior.sample(3, { seed: 2 }); // [3, 4]
 * z.dispose();
 * model.dispose();
 * ```
 */
export class VampPrior extends Prior {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'VampPrior';
  /** The number of pseudo-inputs K. */
  readonly components: number;
  /** The shape of one pseudo-input (one data example). */
  readonly dataShape: readonly number[];
  /** The learned pseudo-inputs [K, ...dataShape]. */
  readonly pseudoInputs: tf.Variable;
  #encoder: Encoder | undefined;

  /**
   * A VampPrior: the mixture of the posteriors of learned pseudo-inputs.
   *
   * @param options - `latentDim`, `components`, `dataShape`, the encoder and seed; see {@link VampPriorOptions}.
   */
  constructor(options: VampPriorOptions) {
    super(options.latentDim, 'VampPrior');
    const { components, dataShape } = options;
    ensureArgument(
      Number.isInteger(components) && components > 0,
      () => `VampPrior: \`components\` must be a positive integer, got ${components}`,
    );
    ensureArgument(
      dataShape.length > 0 && dataShape.every((d) => Number.isInteger(d) && d > 0),
      () => `VampPrior: \`dataShape\` must hold positive integers, got ${formatShape(dataShape)}`,
    );
    this.components = components;
    this.dataShape = [...dataShape];
    const shape = [components, ...dataShape];
    const uniform = seededUniform(options.seed ?? randomSeed(), 0);
    this.pseudoInputs = this.createParameter('pseudoInputs', shape, () => {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = Float32Array.from({ length: size }, () => 0.45 + 0.1 * uniform());
      return tf.tensor(values, shape);
    });
  }

  /** Keeps the VAE's encoder (not a child: its parameters are the encoder's). */
  override bindEncoder(encoder: Encoder): void {
    ensureArgument(
      encoder.latentDim === this.latentDim,
      () =>
        `VampPrior: the encoder's latentDim ${encoder.latentDim} differs from the prior's ${this.latentDim}`,
    );
    const first = firstLinear(encoder);
    ensureArgument(
      first === undefined || first.inputGradient,
      () =>
        "VampPrior: the encoder's first Linear layer was built with `inputGradient: false`, so the pseudo-inputs could not learn; build it with inputGradient true",
    );
    this.#encoder = encoder;
  }

  distribution(): Distribution {
    const encoder = this.#encoder;
    if (encoder === undefined) {
      throw new VaeError(
        'UNSUPPORTED',
        'VampPrior.distribution: no encoder is bound; use the prior inside a VAE (it binds its encoder)',
      );
    }
    const components = encoder.call(this.pseudoInputs); // batch [K], event [latentDim]
    const logits = tf.zeros([this.components]);
    const mixture = new Categorical({ logits, validateArgs: false });
    const p = new MixtureSameFamily({ mixture, components, validateArgs: false });
    return owning(p, [mixture, components, logits]);
  }

  override getConfig(): ModuleConfig {
    return {
      latentDim: this.latentDim,
      components: this.components,
      dataShape: [...this.dataShape],
    };
  }

  /** Rebuilds the prior from {@link VampPrior.getConfig}'s output (fresh pseudo-inputs). */
  static fromConfig(config: ModuleConfig, context: BuildContext): VampPrior {
    const read = context.read(config, 'VampPrior');
    return new VampPrior({
      latentDim: read.positiveInteger('latentDim'),
      components: read.positiveInteger('components'),
      dataShape: read.shape('dataShape'),
      seed: 0,
    });
  }
}

/** The first Linear layer met in a depth-first walk of `module`'s children. */
function firstLinear(module: Module<unknown>): Linear | undefined {
  if (module instanceof Linear) return module;
  for (const [, child] of module.children()) {
    const found = firstLinear(child);
    if (found !== undefined) return found;
  }
  return undefined;
}
