import * as tf from '@tensorflow/tfjs-core';
import { glorotUniform, type Initializer, zeros } from '../initializers.js';
import { Module } from '../module.js';
import { type DenseOptions, dense } from './dense.js';
import { deriveSeed } from './seed.js';

/** No activation; the input gradient kept (a MADE's inner layers and flows need it). */
const LINEAR: DenseOptions = { activation: 'linear', alpha: 0.2, inputGradient: true };
/** The same for an input that is data (the first layer of a MADE scoring values). */
const LINEAR_ON_DATA: DenseOptions = { ...LINEAR, inputGradient: false };

/**
 * y = x @ (weight * mask) + bias with a fixed 0/1 mask [in, out] kept on the host (a MADE
 * layer). Not saved on its own: MADE rebuilds it from its configuration.
 */
export class MaskedLinear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  readonly #mask: Float32Array;

  constructor(options: {
    mask: Float32Array;
    inFeatures: number;
    outFeatures: number;
    seed: number;
    init?: Initializer | undefined;
    biasInit?: Initializer | undefined;
  }) {
    super();
    const { inFeatures, outFeatures, seed } = options;
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const fans = { fanIn: inFeatures, fanOut: outFeatures };
    const init = options.init ?? glorotUniform;
    const biasInit = options.biasInit ?? zeros;
    this.weight = this.createParameter('weight', [inFeatures, outFeatures], () =>
      init([inFeatures, outFeatures], fans, deriveSeed(seed, 0)),
    );
    this.bias = this.createParameter('bias', [outFeatures], () =>
      biasInit([outFeatures], fans, deriveSeed(seed, 1)),
    );
    this.#mask = options.mask;
  }

  /** The mask as a new tensor [in, out] (1 = connected). */
  mask(): tf.Tensor2D {
    return tf.tensor2d(this.#mask, [this.inFeatures, this.outFeatures]);
  }

  /** weight * mask [in, out], in the caller's scope (the mask tensor freed with it). */
  maskedWeight(): tf.Tensor2D {
    return tf.mul(this.weight, this.mask()) as tf.Tensor2D;
  }

  /**
   * x [...batch, in] -> [...batch, out]; intermediates in the caller's scope. The product
   * goes through the dense op of `Linear` (untransposed matmuls in its gradient: wasm runs
   * tfjs's transposed ones several times slower), the mask applied to the weight first.
   */
  call(x: tf.Tensor, inputGradient = true): tf.Tensor {
    const flat = (x.rank === 2 ? x : tf.reshape(x, [-1, this.inFeatures])) as tf.Tensor2D;
    // A new mask tensor per call, freed with the caller's scope (the product's gradient
    // keeps it): a cached one would outlive every scope and read as a leak.
    const w = this.maskedWeight();
    const options = inputGradient ? LINEAR : LINEAR_ON_DATA;
    const y = dense(flat, { w, b: this.bias as tf.Tensor1D }, options);
    return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.outFeatures]);
  }
}
