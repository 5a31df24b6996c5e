import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument, formatShape } from '@vae/divergence';
import { Module } from './module.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/**
 * Keeps the features [start, start + length) of the last axis (torch's
 * `narrow`): x [...batch, features] -> [...batch, length]. A decoder of a
 * hierarchical VAE starts with it to read z1 out of the joint latent
 * z = [z1, z2]. No parameters; gradients flow to the kept features.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Narrow } from '@vae/nn';
 * const first = new Narrow({ start: 0, length: 2 });
 * const y = first.apply(tf.tensor2d([[1, 2, 3], [4, 5, 6]])); // [[1, 2], [4, 5]]
 * y.dispose();
 * ```
 */
export class Narrow extends Module {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'Narrow';
  /** The first feature kept (0-based). */
  readonly start: number;
  /** The number of features kept. */
  readonly length: number;

  /**
   * Keeps `length` features from `start` of the last axis.
   *
   * @param options - `start` (0-based) and `length` (positive).
   */
  constructor(options: { start: number; length: number }) {
    super();
    const { start, length } = options;
    ensureArgument(
      Number.isInteger(start) && start >= 0 && Number.isInteger(length) && length > 0,
      () =>
        `Narrow: \`start\` must be an integer >= 0 and \`length\` a positive integer, got ${start} and ${length}`,
    );
    this.start = start;
    this.length = length;
  }

  override getConfig(): ModuleConfig {
    return { start: this.start, length: this.length };
  }

  /** Rebuilds the layer from {@link Narrow.getConfig}'s output. */
  static fromConfig(config: ModuleConfig, context: BuildContext): Narrow {
    const read = context.read(config, 'Narrow');
    return new Narrow({ start: read.number('start'), length: read.positiveInteger('length') });
  }

  /** x [...batch, features] (features >= start + length) -> [...batch, length]. */
  call(x: tf.Tensor): tf.Tensor {
    const features = x.shape[x.rank - 1] ?? 0;
    ensureArgument(
      x.rank >= 1 && features >= this.start + this.length,
      () =>
        `Narrow: input must have at least ${this.start + this.length} features on its last axis, got a tensor of shape ${formatShape(x.shape)}`,
    );
    const begin = x.shape.map((_, i) => (i === x.rank - 1 ? this.start : 0));
    const size = x.shape.map((d, i) => (i === x.rank - 1 ? this.length : d));
    return tf.slice(x, begin, size);
  }
}
