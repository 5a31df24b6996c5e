import type * as tf from '@tensorflow/tfjs-core';

/** One implementation of the benchmarked VAE, as the benchmark drives it. */
export interface BenchModel {
  readonly name: string;
  /** One Adam step on the batch x [batch, 784]; reads the loss back. */
  trainStep(x: tf.Tensor2D): Promise<void>;
  /** One epoch of `fit` over x [n, 784]; returns fit's samples/s (only the @vae stack has it). */
  fitEpoch?(x: tf.Tensor2D, batchSize: number): Promise<number>;
  /** Draws n images from the prior through the decoder and reads them back. */
  sample(n: number): Promise<void>;
  /** The importance-sampled log p(x) estimate with k samples (when @vae/elbo exports it). */
  logLikelihood?(x: tf.Tensor2D, k: number): Promise<void>;
  dispose(): void;
}
