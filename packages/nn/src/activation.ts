import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import { Module } from './module.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/** The activations available as modules. */
export type ActivationName = 'relu' | 'leakyRelu' | 'tanh' | 'sigmoid' | 'softplus' | 'elu';

const ACTIVATIONS: readonly ActivationName[] = [
  'relu',
  'leakyRelu',
  'tanh',
  'sigmoid',
  'softplus',
  'elu',
];

/**
 * An elementwise activation as a module (no parameters). A `Sequential` runs a
 * `Linear` followed by an `Activation` as one fused dense op.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Activation } from '@vae/nn';
 * const act = new Activation('leakyRelu', { alpha: 0.1 });
 * act.apply(tf.tensor([-1, 2])); // [-0.1, 2]
 * ```
 */
export class Activation extends Module {
  /** Which function this applies. */
  readonly kind: ActivationName;
  /** Negative slope for `leakyRelu` (ignored otherwise). */
  readonly alpha: number;

  /**
   * An elementwise activation by name.
   *
   * @param kind - The activation: `relu`, `leakyRelu`, `elu`, `tanh`, `sigmoid` or `softplus`.
   * @param options - `alpha`, the negative slope of `leakyRelu` (default 0.2) or the scale of `elu` (default 1).
   */
  constructor(kind: ActivationName, options: { alpha?: number } = {}) {
    super();
    ensureArgument(
      ACTIVATIONS.includes(kind),
      () =>
        `Activation: \`kind\` must be one of ${ACTIVATIONS.join(', ')}, got ${JSON.stringify(kind)}`,
    );
    this.kind = kind;
    this.alpha = options.alpha ?? 0.2;
    ensureArgument(
      Number.isFinite(this.alpha) && this.alpha > 0 && this.alpha < 1,
      () => `Activation: \`alpha\` must be in (0, 1), got ${this.alpha}`,
    );
  }

  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'Activation';

  override getConfig(): ModuleConfig {
    return { kind: this.kind, alpha: this.alpha };
  }

  /** Rebuilds the activation from {@link Activation.getConfig}'s output. */
  static fromConfig(config: ModuleConfig, context: BuildContext): Activation {
    const read = context.read(config, 'Activation');
    return new Activation(read.choice('kind', ACTIVATIONS), { alpha: read.number('alpha', 0.2) });
  }

  /** Applies the activation elementwise: shape in = shape out. */
  call(x: tf.Tensor): tf.Tensor {
    switch (this.kind) {
      case 'relu':
        return tf.relu(x);
      case 'leakyRelu':
        return tf.leakyRelu(x, this.alpha);
      case 'tanh':
        return tf.tanh(x);
      case 'sigmoid':
        return tf.sigmoid(x);
      case 'softplus':
        return tf.softplus(x);
      case 'elu':
        return tf.elu(x);
    }
  }
}

/**
 * max(x, 0) as a module.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Linear, Sequential, relu } from '@vae/nn';
 * new Sequential([new Linear({ inFeatures: 4, outFeatures: 8 }), relu()]);
 * ```
 */
export function relu(): Activation {
  return new Activation('relu');
}

/**
 * x for x > 0, alpha * x otherwise (alpha defaults to 0.2) as a module.
 *
 * @param options - `alpha`, the slope for x < 0 (default 0.2).
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { leakyRelu } from '@vae/nn';
 * const act = leakyRelu({ alpha: 0.1 });
 * ```
 */
export function leakyRelu(options: { alpha?: number } = {}): Activation {
  return new Activation('leakyRelu', options);
}

/**
 * tanh(x) as a module.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { tanh } from '@vae/nn';
 * const act = tanh();
 * ```
 */
export function tanh(): Activation {
  return new Activation('tanh');
}

/**
 * 1 / (1 + exp(-x)) as a module.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { sigmoid } from '@vae/nn';
 * const act = sigmoid();
 * ```
 */
export function sigmoid(): Activation {
  return new Activation('sigmoid');
}

/**
 * log(1 + exp(x)) as a module.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { softplus } from '@vae/nn';
 * const act = softplus();
 * ```
 */
export function softplus(): Activation {
  return new Activation('softplus');
}

/**
 * x for x > 0, exp(x) - 1 otherwise, as a module.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { elu } from '@vae/nn';
 * const act = elu();
 * ```
 */
export function elu(): Activation {
  return new Activation('elu');
}
