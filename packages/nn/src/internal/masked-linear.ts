import * as tf from '@tensorflow/tfjs-core';
import { glorotUniform, type Initializer, zeros } from '../initializers.js';
import { Module } from '../module.js';
import { deriveSeed } from './seed.js';

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

  /** x [...batch, in] -> [...batch, out]; intermediates in the caller's scope. */
  call(x: tf.Tensor): tf.Tensor {
    const flat = x.rank === 2 ? x : tf.reshape(x, [-1, this.inFeatures]);
    const y = tf.add(tf.matMul(flat, tf.mul(this.weight, this.mask())), this.bias);
    return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.outFeatures]);
  }
}
