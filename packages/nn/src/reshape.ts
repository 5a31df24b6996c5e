import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import { Module } from './module.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/**
 * Reshapes each example, keeping the batch axis: [batch, ...any] -> [batch, ...shape].
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Reshape } from '@vae/nn';
 * new Reshape([7, 7, 32]).apply(tf.zeros([8, 1568])); // [8, 7, 7, 32]
 * ```
 */
export class Reshape extends Module {
  /** The shape of one example after reshaping. */
  readonly shape: readonly number[];

  /**
   * Reshapes each example, keeping the batch axis.
   *
   * @param shape - The shape of one example (one entry may be -1).
   */
  constructor(shape: readonly number[]) {
    super();
    ensureArgument(
      shape.every((d) => Number.isInteger(d) && (d > 0 || d === -1)),
      () => `Reshape: \`shape\` must hold positive integers (or one -1), got [${shape}]`,
    );
    this.shape = [...shape];
  }

  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'Reshape';

  override getConfig(): ModuleConfig {
    return { shape: [...this.shape] };
  }

  /** Rebuilds the layer from {@link Reshape.getConfig}'s output. */
  static fromConfig(config: ModuleConfig, context: BuildContext): Reshape {
    return new Reshape(context.read(config, 'Reshape').shape('shape'));
  }

  /** x [batch, ...] -> [batch, ...shape]. */
  call(x: tf.Tensor): tf.Tensor {
    return tf.reshape(x, [x.shape[0] ?? 1, ...this.shape]);
  }
}

/**
 * Flattens each example: [batch, ...] -> [batch, product of the rest].
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Flatten } from '@vae/nn';
 * new Flatten().apply(tf.zeros([8, 28, 28, 1])); // [8, 784]
 * ```
 */
export class Flatten extends Module {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'Flatten';

  override getConfig(): ModuleConfig {
    return {};
  }

  /** Rebuilds the layer (it has no configuration). */
  static fromConfig(): Flatten {
    return new Flatten();
  }

  /** x [batch, ...] -> [batch, size / batch]. */
  call(x: tf.Tensor): tf.Tensor {
    return tf.reshape(x, [x.shape[0] ?? 1, -1]);
  }
}
