import type * as tf from '@tensorflow/tfjs-core';
import { Activation } from './activation.js';
import { Linear } from './linear.js';
import { type CallOptions, Module } from './module.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/**
 * Modules applied in order; child `i` is named `'i'` (so parameters read
 * `body.0.weight`). A `Linear` directly followed by an `Activation` runs as one
 * fused op with a hand-written gradient.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Linear, Sequential, relu } from '@vae/nn';
 * const mlp = new Sequential([
 *   new Linear({ inFeatures: 784, outFeatures: 400, seed: 1 }),
 *   relu(),
 *   new Linear({ inFeatures: 400, outFeatures: 20, seed: 2 }),
 * ]);
 * mlp.apply(tf.zeros([8, 784])); // [8, 20]
 * ```
 */
export class Sequential extends Module {
  /** The modules, in order. */
  readonly layers: readonly Module[];

  /**
   * Modules applied in order; their parameters are named by position.
   *
   * @param layers - The modules, in order.
   */
  constructor(layers: readonly Module[]) {
    super();
    this.layers = [...layers];
    for (const [i, layer] of this.layers.entries()) this.addModule(String(i), layer);
  }

  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'Sequential';

  override getConfig(): ModuleConfig {
    return { layers: this.layers.map((layer) => layer.spec()) };
  }

  /** Rebuilds the layers from {@link Sequential.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): Sequential {
    const layers = context.read(config, 'Sequential').list('layers');
    return new Sequential(layers.map((spec, i) => context.build(spec, `Sequential.layers[${i}]`)));
  }

  /**
   * Runs every layer in order: the shape follows the layers. `options` go to the
   * first layer (see {@link CallOptions}, {@link Module.callWithOptions}); the layers
   * after it read what the first computed, so they keep their gradients.
   */
  override call(x: tf.Tensor, options?: CallOptions): tf.Tensor {
    let h = x;
    for (let i = 0; i < this.layers.length; i++) {
      const layer = this.layers[i]!;
      const next = this.layers[i + 1];
      const own = i === 0 ? options : undefined;
      if (layer instanceof Linear && next instanceof Activation) {
        h = layer.callWith(h, next, own);
        i++;
      } else {
        h = layer.callWithOptions(h, own);
      }
    }
    return h;
  }

  /** `call(x, options)`: a Sequential passes {@link CallOptions} to its first layer. */
  override callWithOptions(x: tf.Tensor, options?: CallOptions): tf.Tensor {
    return this.call(x, options);
  }
}
