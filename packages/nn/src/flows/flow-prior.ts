import type { Distribution } from '@vae/distributions';
import { ensureArgument } from '@vae/divergence';
import { StandardNormal } from '../diagonal-normal.js';
import { owning } from '../internal/own.js';
import { Prior } from '../prior.js';
import type { ModuleConfig } from '../serialization/module-spec.js';
import type { BuildContext } from '../serialization/registry.js';
import { FlowDistribution } from './flow-distribution.js';
import { FlowLayer } from './flow-layer.js';

/**
 * A flow prior p(z): z = f(u) with u ~ N(0, I) over [latentDim] and an unconditional flow f
 * (child `flow`; `latentDim` is its `features`). Its distribution is a
 * {@link FlowDistribution}; no KL to it has a closed form, so the ELBO estimates the KL by
 * Monte Carlo, evaluating log p(z) at posterior draws through the flow's inverse: choose a
 * flow whose inverse is one pass (MAF, RealNVP; the preset uses MAF). `sample` runs the
 * forward direction.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { FlowPrior, flowStack } from '@vae/nn';
 * const prior = new FlowPrior({ flow: flowStack({ kind: 'maf', features: 2, layers: 2, hidden: [16], seed: 1 }) });
 * const z = prior.sample(5, { seed: 0 }); // [5, 2]
 * z.dispose();
 * prior.dispose();
 * ```
 */
export class FlowPrior extends Prior {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'FlowPrior';
  /** The flow from the standard normal to z. */
  readonly flow: FlowLayer;

  /**
   * A prior p(z): a standard normal pushed through `flow`.
   *
   * @param options - The unconditional `flow`.
   */
  constructor(options: { flow: FlowLayer }) {
    const { flow } = options;
    ensureArgument(
      flow instanceof FlowLayer && flow.contextFeatures === 0,
      () => 'FlowPrior: `flow` must be an unconditional FlowLayer (contextFeatures 0)',
    );
    super(flow.features, 'FlowPrior');
    this.flow = this.addModule('flow', flow);
  }

  /** p(z): batch [], event [latentDim]; the caller owns it. */
  distribution(): Distribution {
    const base = new StandardNormal(this.latentDim);
    return owning(new FlowDistribution(base, this.flow), [base]);
  }

  override getConfig(): ModuleConfig {
    return { flow: this.flow.spec() };
  }

  /** Rebuilds the prior from {@link FlowPrior.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): FlowPrior {
    const read = context.read(config, 'FlowPrior');
    return new FlowPrior({ flow: context.build(read.value('flow'), 'FlowPrior.flow', FlowLayer) });
  }
}
