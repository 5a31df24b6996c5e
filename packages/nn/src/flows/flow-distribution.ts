import * as tf from '@tensorflow/tfjs-core';
import {
  type Constraint,
  constraints,
  Distribution,
  type ParamLike,
  ParamScope,
} from '@vae/distributions';
import { formatShape } from '@vae/divergence';
import { FlowLayer } from './flow-layer.js';

/**
 * Options of {@link FlowDistribution}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import type { FlowDistributionOptions } from '@vae/nn';
 * const options: FlowDistributionOptions = { context: tf.zeros([8, 32]) };
 * ```
 */
export interface FlowDistributionOptions {
  /** The context `[...batch, contextFeatures]` of a conditional flow (borrowed). */
  context?: tf.Tensor;
  /** Check values given to `logProb` (reads data back). Default false. */
  validateArgs?: boolean;
}

/** The draw being made: its log-density, kept out of tidy scopes until it is remembered. */
interface Memo {
  sample: tf.Tensor;
  dataId: object;
  logProb: tf.Tensor;
}

function broadcastShape(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/**
 * The distribution of y = f(x) for x from `base` (event shape `[D]`) and a flow layer f
 * (optionally conditioned on a context): log p(y) = log p_base(f^-1(y)) + log |det df^-1/dy|.
 * Batch shape: the base's, broadcast with the context's leading axes (extra leading axes are
 * drawn independently); event shape `[D]`.
 *
 * `rsample` pushes reparameterized base draws through `forward` (one pass for an IAF) and
 * remembers the log-density of that draw, so `logProb` of the very tensor `rsample` returned
 * (as the ELBO's Monte Carlo KL and `iwae` ask) needs no inverse; its gradients are the
 * pathwise ones of the draw. Any other value (a copy, a reshape, a `sample`) is inverted
 * (sequentially for an IAF, one pass for a MAF or coupling). No KL has a closed form with it,
 * so `@vae/elbo`'s `kl: 'auto'` estimates the KL by Monte Carlo.
 *
 * `base`, `flow` and `context` are borrowed; `dispose()` frees what this distribution holds
 * (the remembered log-density). `mean`, `variance`, `entropy` and `mode` are not defined.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { FlowDistribution, FlowStack, MaskedAutoregressiveFlow, StandardNormal } from '@vae/nn';
 * const flow = new FlowStack([new MaskedAutoregressiveFlow({ features: 2, hidden: [8], seed: 1 })]);
 * const base = new StandardNormal(2);
 * const p = new FlowDistribution(base, flow);
 * const y = p.rsample([5], 0); // [5, 2]
 * const logp = p.logProb(y); // [5], from the draw
 * tf.dispose([y, logp]);
 * p.dispose();
 * base.dispose();
 * flow.dispose();
 * ```
 */
export class FlowDistribution extends Distribution {
  /** The distribution whose samples the flow transforms. */
  readonly base: Distribution;
  /** The flow. */
  readonly flow: FlowLayer;
  /** The conditioning context of a conditional flow, [...batch, contextFeatures]. */
  readonly context: tf.Tensor | undefined;
  readonly #extraBatch: number[];
  #remembering = false;
  #pending: tf.Tensor | undefined;
  #memo: Memo | undefined;

  /**
   * The distribution of `flow` applied to samples of `base` (both kept, not disposed).
   *
   * @param base - The base distribution, event shape [features].
   * @param flow - The flow applied to its samples.
   * @param options - `validateArgs` and the rest of {@link FlowDistributionOptions}.
   */
  constructor(base: Distribution, flow: FlowLayer, options: FlowDistributionOptions = {}) {
    const scope: ParamScope = new ParamScope('FlowDistribution', {
      validateArgs: options.validateArgs ?? false,
    });
    if (!(base instanceof Distribution)) {
      scope.fail(`FlowDistribution: \`base\` must be a Distribution, got ${String(base)}`);
    }
    if (!(flow instanceof FlowLayer)) {
      scope.fail(`FlowDistribution: \`flow\` must be a FlowLayer, got ${String(flow)}`);
    }
    const { context } = options;
    if (base.eventShape.length !== 1 || base.eventShape[0] !== flow.features) {
      scope.fail(
        `FlowDistribution: the base's event shape must be [${flow.features}] (the flow's features), got ${formatShape(base.eventShape)}`,
      );
    }
    if (flow.contextFeatures > 0 !== (context !== undefined)) {
      scope.fail(
        flow.contextFeatures > 0
          ? `FlowDistribution: the flow is conditioned on a context [...batch, ${flow.contextFeatures}]; pass \`context\``
          : 'FlowDistribution: the flow takes no context, got one',
      );
    }
    if (context !== undefined && context.shape[context.rank - 1] !== flow.contextFeatures) {
      scope.fail(
        `FlowDistribution: \`context\` must be [...batch, ${flow.contextFeatures}], got a tensor of shape ${formatShape(context.shape)}`,
      );
    }
    const contextBatch = context === undefined ? [] : context.shape.slice(0, -1);
    const batchShape = broadcastShape(base.batchShape, contextBatch);
    const extra = batchShape === undefined ? 0 : batchShape.length - base.batchShape.length;
    if (batchShape === undefined || !base.batchShape.every((d, i) => batchShape[extra + i] === d)) {
      scope.fail(
        `FlowDistribution: a context of shape ${formatShape(contextBatch)} (batch) does not fit the base's batch shape ${formatShape(base.batchShape)}; it may only add leading axes`,
      );
    }
    super({ batchShape, eventShape: [flow.features] }, scope);
    this.base = base;
    this.flow = flow;
    this.context = context;
    this.#extraBatch = batchShape.slice(0, extra);
  }

  get support(): Constraint {
    return constraints.realVector;
  }

  override get hasRsample(): boolean {
    return this.base.hasRsample;
  }

  /** Reparameterized draws `[...sampleShape, ...batch, D]`; `logProb` of the result needs no inverse. */
  override rsample(sampleShape: number[] = [], seed?: number): tf.Tensor {
    this.#forget();
    this.#remembering = true;
    let y: tf.Tensor;
    try {
      y = super.rsample(sampleShape, seed);
    } catch (error) {
      this.#forget();
      throw error;
    } finally {
      this.#remembering = false;
    }
    const logProb = this.#pending;
    this.#pending = undefined;
    if (logProb !== undefined) this.#memo = { sample: y, dataId: y.dataId, logProb };
    return y;
  }

  protected draw(sampleShape: number[], seed: number | undefined): tf.Tensor {
    const outer = [...sampleShape, ...this.#extraBatch];
    const x = this.base.hasRsample ? this.base.rsample(outer, seed) : this.base.sample(outer, seed);
    const { y, logDet } = this.flow.forwardAndLogDet(x, this.context);
    if (this.#remembering) this.#pending = tf.keep(tf.sub(this.base.logProb(x), logDet));
    return y;
  }

  /** log p(y): `[...sample, ...batch, D]` -> `[...sample, ...batch]`. */
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => {
      const memo = this.#memo;
      if (
        memo !== undefined &&
        value === memo.sample &&
        !memo.sample.isDisposed &&
        memo.sample.dataId === memo.dataId
      ) {
        return memo.logProb.clone();
      }
      const y = this.checkedValue(value);
      const { x, logDet } = this.flow.inverseAndLogDet(y, this.context);
      return tf.add(this.base.logProb(x), logDet);
    });
  }

  /** Frees the remembered log-density of the last draw and what this distribution created. */
  override dispose(): void {
    this.#forget();
    super.dispose();
  }

  #forget(): void {
    this.#pending?.dispose();
    this.#pending = undefined;
    this.#memo?.logProb.dispose();
    this.#memo = undefined;
  }
}
