import * as tf from '@tensorflow/tfjs-core';
import { type Bijector, Chain } from '@vae/distributions';
import { ensureArgument } from '@vae/divergence';
import type { ModuleConfig } from '../serialization/module-spec.js';
import type { BuildContext } from '../serialization/registry.js';
import {
  type FlowBijectorOptions,
  type FlowDirection,
  type FlowForward,
  type FlowInverse,
  FlowLayer,
} from './flow-layer.js';

/**
 * Flow layers applied in order (the composition f_n ∘ ... ∘ f_1): `forward` runs layer 0
 * first, `inverse` the last first, and the log-dets add up. Child `i` is named `'i'`
 * (`flow.0.made.output.weight`). Every layer maps the same number of features; the
 * conditional ones share one context width and get the context, the others do not.
 * `bijector()` is a `Chain` of the layers' bijectors, so each keeps its own cache.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { AffineCoupling, FlowStack } from '@vae/nn';
 * const flow = new FlowStack([
 *   new AffineCoupling({ features: 2, hidden: [8], parity: 0, seed: 1 }),
 *   new AffineCoupling({ features: 2, hidden: [8], parity: 1, seed: 2 }),
 * ]);
 * const { x, logDet } = tf.tidy(() => flow.inverseAndLogDet(tf.ones([4, 2]))); // [4, 2], [4]
 * tf.dispose([x, logDet]);
 * flow.dispose();
 * ```
 */
export class FlowStack extends FlowLayer {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'FlowStack';
  /** The layers, applied in this order. */
  readonly layers: readonly FlowLayer[];

  /**
   * Flow layers applied in order.
   *
   * @param layers - The layers, at least one, all with the same `features`.
   */
  constructor(layers: readonly FlowLayer[]) {
    ensureArgument(
      Array.isArray(layers) && layers.length > 0 && layers.every((l) => l instanceof FlowLayer),
      () => 'FlowStack: `layers` must be a non-empty list of flow layers',
    );
    const features = layers[0]!.features;
    const widths = [...new Set(layers.map((l) => l.contextFeatures).filter((c) => c > 0))];
    ensureArgument(
      layers.every((l) => l.features === features),
      () =>
        `FlowStack: every layer must map the same number of features, got ${layers.map((l) => l.features).join(', ')}`,
    );
    ensureArgument(
      widths.length <= 1,
      () =>
        `FlowStack: the conditional layers must share one context width, got ${widths.join(', ')}`,
    );
    super('FlowStack', features, widths[0] ?? 0);
    this.layers = [...layers];
    for (const [i, layer] of this.layers.entries()) this.addModule(String(i), layer);
  }

  get fastDirection(): FlowDirection {
    const directions = new Set(this.layers.map((l) => l.fastDirection));
    directions.delete('both');
    if (directions.size === 0) return 'both';
    if (directions.size === 1 && !directions.has('neither')) return [...directions][0]!;
    return 'neither';
  }

  override getConfig(): ModuleConfig {
    return { layers: this.layers.map((layer) => layer.spec()) };
  }

  /** Rebuilds the stack from {@link FlowStack.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): FlowStack {
    const layers = context.read(config, 'FlowStack').list('layers');
    return new FlowStack(
      layers.map((spec, i) => context.build(spec, `FlowStack.layers[${i}]`, FlowLayer)),
    );
  }

  /** A `Chain` of the layers' bijectors (the conditional ones bound to the context). */
  override bijector(options: FlowBijectorOptions = {}): Bijector {
    if (options.context !== undefined) this.checkContext('bijector', options.context);
    const parts = this.layers.map((layer) =>
      layer.bijector({
        ...(layer.contextFeatures > 0 && options.context !== undefined
          ? { context: options.context }
          : {}),
        cache: options.cache ?? true,
      }),
    );
    return new Chain(parts, { cache: options.cache ?? true });
  }

  protected computeForward(x: tf.Tensor, context: tf.Tensor | undefined): FlowForward {
    let y = x;
    let logDet: tf.Tensor | undefined;
    for (const layer of this.layers) {
      const step = layer.forwardAndLogDet(y, this.#contextFor(layer, context));
      y = step.y;
      logDet = logDet === undefined ? step.logDet : tf.add(logDet, step.logDet);
    }
    return { y, logDet: logDet! };
  }

  protected computeInverse(y: tf.Tensor, context: tf.Tensor | undefined): FlowInverse {
    let x = y;
    let logDet: tf.Tensor | undefined;
    for (const layer of [...this.layers].reverse()) {
      const step = layer.inverseAndLogDet(x, this.#contextFor(layer, context));
      x = step.x;
      logDet = logDet === undefined ? step.logDet : tf.add(logDet, step.logDet);
    }
    return { x, logDet: logDet! };
  }

  #contextFor(layer: FlowLayer, context: tf.Tensor | undefined): tf.Tensor | undefined {
    return layer.contextFeatures > 0 ? context : undefined;
  }
}
