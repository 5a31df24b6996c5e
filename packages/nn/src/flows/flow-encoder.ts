import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import { DiagonalNormal } from '../diagonal-normal.js';
import { Encoder } from '../encoder.js';
import { GaussianEncoder } from '../gaussian-encoder.js';
import { owning } from '../internal/own.js';
import type { CallOptions } from '../module.js';
import type { ModuleConfig } from '../serialization/module-spec.js';
import type { BuildContext } from '../serialization/registry.js';
import { FlowDistribution } from './flow-distribution.js';
import { FlowLayer } from './flow-layer.js';

/**
 * A flow posterior (Kingma et al. 2016): the Gaussian encoder (child `gaussian`) gives
 * q0(z0 | x) = N(loc, diag(exp(logVariance))) and its body's features h [batch, features];
 * the flow (child `flow`, an IAF stack from {@link flowStack} with `contextFeatures` = the
 * body's width, or an unconditional flow) maps z0 to z, conditioned on h. `call(x)` returns
 * q(z | x) as a {@link FlowDistribution} (batch [batch], event [latentDim]) whose `rsample`
 * is one pass and whose `logProb` of its own draws needs no inverse; no KL has a closed form,
 * so the ELBO estimates it by Monte Carlo. `mean` is not defined; {@link FlowEncoder.code}
 * (what `VAE.reconstruct` and `VAE.interpolate` use) is the Gaussian's mean pushed through
 * the flow.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { FlowEncoder, flowStack, GaussianEncoder, Linear, relu, Sequential } from '@vae/nn';
 * const encoder = new FlowEncoder({
 *   encoder: new GaussianEncoder({
 *     body: new Sequential([new Linear({ inFeatures: 6, outFeatures: 16, seed: 1 }), relu()]),
 *     features: 16,
 *     latentDim: 2,
 *     seed: 2,
 *   }),
 *   flow: flowStack({ kind: 'iaf', features: 2, layers: 2, hidden: [16], contextFeatures: 16, seed: 3 }),
 * });
 * const q = encoder.call(tf.ones([4, 6])); // batch [4], event [2]
 * const z = q.rsample([], 0); // [4, 2]
 * const logq = q.logProb(z); // [4]
 * tf.dispose([z, logq]);
 * q.dispose();
 * encoder.dispose();
 * ```
 */
export class FlowEncoder extends Encoder {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'FlowEncoder';
  /** The Gaussian encoder whose posterior the flow transforms. */
  readonly gaussian: GaussianEncoder;
  /** The flow, conditioned on the encoder body's features. */
  readonly flow: FlowLayer;
  /** The size of z. */
  readonly latentDim: number;

  /**
   * A Gaussian encoder whose posterior is pushed through a flow conditioned on x.
   *
   * @param options - The Gaussian `encoder` and the `flow` (its context is the encoder's features).
   */
  constructor(options: { encoder: GaussianEncoder; flow: FlowLayer }) {
    super();
    const { encoder, flow } = options;
    ensureArgument(
      encoder instanceof GaussianEncoder,
      () => 'FlowEncoder: `encoder` must be a GaussianEncoder',
    );
    ensureArgument(flow instanceof FlowLayer, () => 'FlowEncoder: `flow` must be a FlowLayer');
    const features = encoder.locHead.inFeatures;
    ensureArgument(
      flow.features === encoder.latentDim,
      () =>
        `FlowEncoder: the flow maps ${flow.features} features, the encoder's latentDim is ${encoder.latentDim}`,
    );
    ensureArgument(
      flow.contextFeatures === 0 || flow.contextFeatures === features,
      () =>
        `FlowEncoder: the flow's context must be the encoder body's ${features} features, got contextFeatures ${flow.contextFeatures}`,
    );
    this.gaussian = this.addModule('gaussian', encoder);
    this.flow = this.addModule('flow', flow);
    this.latentDim = encoder.latentDim;
  }

  override getConfig(): ModuleConfig {
    return { encoder: this.gaussian.spec(), flow: this.flow.spec() };
  }

  /** Rebuilds the encoder from {@link FlowEncoder.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): FlowEncoder {
    const read = context.read(config, 'FlowEncoder');
    return new FlowEncoder({
      encoder: context.build(read.value('encoder'), 'FlowEncoder.encoder', GaussianEncoder),
      flow: context.build(read.value('flow'), 'FlowEncoder.flow', FlowLayer),
    });
  }

  /**
   * x [batch, ...dataShape] -> q(z | x): batch [batch], event [latentDim]; the caller
   * owns it. `options` go to the Gaussian encoder's body (see {@link CallOptions}).
   */
  override call(x: tf.Tensor, options?: CallOptions): FlowDistribution {
    const { body, locHead, logVarianceHead } = this.gaussian;
    const [h, loc, logVariance] = tf.tidy(() => {
      const features = body.callWithOptions(x, options);
      return [features, locHead.call(features), logVarianceHead.call(features)];
    }) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const base = new DiagonalNormal(loc, logVariance);
    const conditional = this.flow.contextFeatures > 0;
    const q = new FlowDistribution(base, this.flow, conditional ? { context: h } : {});
    return owning(q, [base, h]);
  }

  /**
   * The base Gaussian's mean pushed through the flow (conditioned on the encoder's
   * features): x [batch, ...dataShape] -> z [batch, latentDim], owned by the caller. A
   * deterministic code near the posterior's bulk; the posterior mean itself has no
   * closed form.
   *
   * @example
   * ```ts
   * import '@tensorflow/tfjs-backend-cpu';
   * import * as tf from '@tensorflow/tfjs-core';
   * import { FlowEncoder, flowStack, GaussianEncoder, Linear, relu, Sequential } from '@vae/nn';
   * const encoder = new FlowEncoder({
   *   encoder: new GaussianEncoder({
   *     body: new Sequential([new Linear({ inFeatures: 6, outFeatures: 16, seed: 1 }), relu()]),
   *     features: 16,
   *     latentDim: 2,
   *     seed: 2,
   *   }),
   *   flow: flowStack({ kind: 'iaf', features: 2, layers: 2, hidden: [16], contextFeatures: 16, seed: 3 }),
   * });
   * const z = encoder.code(tf.ones([4, 6])); // the base mean through the flow
   * console.log(z.shape); // -> [ 4, 2 ]
   * z.dispose();
   * encoder.dispose();
   * ```
   */
  override code(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const features = this.gaussian.body.call(x);
      const context = this.flow.contextFeatures > 0 ? features : undefined;
      return this.flow.forwardAndLogDet(this.gaussian.locHead.call(features), context).y;
    });
  }
}
