import * as tf from '@tensorflow/tfjs-core';
import { Permute } from '@vae/distributions';
import { ensureArgument } from '@vae/divergence';
import { isPermutation } from '../internal/made-masks.js';
import type { ModuleConfig } from '../serialization/module-spec.js';
import type { BuildContext } from '../serialization/registry.js';
import { type FlowDirection, type FlowForward, type FlowInverse, FlowLayer } from './flow-layer.js';

/**
 * Reorders the features between flow layers (no parameters): `y[..., i] = x[..., permutation[i]]`,
 * log-det 0. `Permutation.reverse(D)` is the reversal used between autoregressive layers.
 * Its gradient is a gather too (it runs on the `Permute` bijector of `@vae/distributions`).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Permutation } from '@vae/nn';
 * const reverse = Permutation.reverse(3);
 * const y = reverse.apply(tf.tensor2d([[1, 2, 3]])); // [[3, 2, 1]]
 * y.dispose();
 * ```
 */
export class Permutation extends FlowLayer {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'Permutation';
  /** Output feature i is input feature `permutation[i]`. */
  readonly permutation: readonly number[];
  readonly #permute: Permute;

  /**
   * A fixed permutation of the features.
   *
   * @param options - `permutation`, a permutation of 0..features-1.
   */
  constructor(options: { permutation: number[] }) {
    const { permutation } = options;
    ensureArgument(
      Array.isArray(permutation) && isPermutation(permutation, permutation.length),
      () =>
        `Permutation: \`permutation\` must be a permutation of 0..n-1, got ${JSON.stringify(permutation)?.slice(0, 80)}`,
    );
    super('Permutation', permutation.length);
    this.permutation = [...permutation];
    this.#permute = new Permute({ permutation: [...permutation], cache: false });
  }

  /** The reversal [D-1, ..., 1, 0]. */
  static reverse(features: number): Permutation {
    return new Permutation({
      permutation: Array.from({ length: features }, (_, i) => features - 1 - i),
    });
  }

  get fastDirection(): FlowDirection {
    return 'both';
  }

  override getConfig(): ModuleConfig {
    return { permutation: [...this.permutation] };
  }

  /** Rebuilds the layer from {@link Permutation.getConfig}'s output. */
  static fromConfig(config: ModuleConfig, context: BuildContext): Permutation {
    const permutation = context.read(config, 'Permutation').list('permutation', 2 ** 16);
    return new Permutation({ permutation: permutation as number[] });
  }

  protected computeForward(x: tf.Tensor): FlowForward {
    // zerosLike keeps the log-det on x's tape (a zero gradient rather than none).
    return { y: this.#permute.forward(x), logDet: tf.sum(tf.zerosLike(x), -1) };
  }

  protected computeInverse(y: tf.Tensor): FlowInverse {
    return { x: this.#permute.inverse(y), logDet: tf.sum(tf.zerosLike(y), -1) };
  }
}
