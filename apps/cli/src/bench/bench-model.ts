import type * as tf from '@tensorflow/tfjs-core';
import type { TrainingData } from '@vae/trainer';

/** One implementation of the benchmarked VAE, as the benchmark drives it. */
export interface BenchModel {
  readonly name: string;
  /** Trainable parameters: the implementations of one model have the same count. */
  readonly parameters: number;
  /** One Adam step on the batch x [batch, ...imageShape]; reads the loss back. */
  trainStep(x: tf.Tensor): Promise<void>;
  /**
   * Runs `steps` Adam steps on the model's own batch and returns the seconds they took,
   * measured where they ran (PyTorch times them in its own process, so the JSON-lines
   * channel is not counted). Without it the benchmark times `trainStep` calls itself.
   */
  timedTrainSteps?(steps: number): Promise<number>;
  /** One epoch of `fit` over `data` (batches [batchSize, ...imageShape]); only the @vae stack has it. */
  fitEpoch?(data: TrainingData<tf.Tensor>, batchSize: number): Promise<void>;
  /** Draws n images from the prior through the decoder and reads them back. */
  sample(n: number): Promise<void>;
  /** Like `timedTrainSteps`: `calls` calls of `sample(n)`, timed where they ran. */
  timedSamples?(n: number, calls: number): Promise<number>;
  /** The importance-sampled log p(x) estimate with k samples (when @vae/elbo exports it). */
  logLikelihood?(x: tf.Tensor, k: number): Promise<void>;
  dispose(): void;
}
