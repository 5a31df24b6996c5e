// Fitting a normalizing flow to a 2-D toy density by maximum likelihood, and the
// full-covariance Gaussian it must beat (MATH.md section 1). Browser-safe: no Node imports.
import * as tf from '@tensorflow/tfjs-core';
import { gaussianMixture, type PointDataset, twoMoons } from '@vae/data';
import { MultivariateNormal } from '@vae/distributions';
import { deriveSeed } from '@vae/divergence';
import { type ActivationName, type FlowKind, FlowModel, flowStack } from '@vae/nn';
import { cosineDecay, fit, type TrainingEvent } from '@vae/trainer';

/** The toy densities: scikit-learn's two moons, or 8 Gaussians on a circle of radius 4. */
export type ToyDensity = 'moons' | 'ring';

/** Options of {@link fitFlow2d}; every field has a default. */
export interface Flow2dOptions {
  /** Default 'moons'. */
  data?: ToyDensity;
  /** Training points (default 2000). */
  trainSize?: number;
  /** Held-out points for the test log-likelihood (default 2000). */
  testSize?: number;
  /** Default 'realnvp'. */
  kind?: FlowKind;
  /** Flow layers (default 8). */
  layers?: number;
  /** Hidden widths of each coupling or MADE network (default [64, 64]). */
  hidden?: number[];
  /** Activation of those networks (default 'relu'). */
  activation?: ActivationName;
  /** Default 40 (of 2000 points: 640 Adam steps at batch 128). */
  epochs?: number;
  /** Default 128. */
  batchSize?: number;
  /** Adam's first step size, decayed to 0 over training with a cosine (default 5e-3). */
  learningRate?: number;
  /** Seed of the data, the weights and the shuffling (default 0; 0 is a seed). */
  seed?: number;
  /** Called with each training event of `fit` (batches, epochs): progress for a page. */
  onEvent?: (event: TrainingEvent) => void | Promise<void>;
  /** Stops training after the current batch. */
  signal?: AbortSignal;
}

/** What {@link fitFlow2d} returns; the caller disposes `model`. */
export interface Flow2dResult {
  model: FlowModel;
  /** Training and test points, `[n, 2]` row-major. */
  train: Float32Array;
  test: Float32Array;
  /** Mean log-likelihood of the test points under the flow and under the Gaussian (nats). */
  testLogLikelihood: number;
  gaussianTestLogLikelihood: number;
  /** Mean training negative log-likelihood after each epoch. */
  history: number[];
}

/** `size` points of the toy density (seeded). */
export function toyPoints(data: ToyDensity, size: number, seed: number): PointDataset {
  return data === 'moons'
    ? twoMoons({ size, noise: 0.1, seed })
    : gaussianMixture({ size, components: 8, radius: 4, scale: 0.5, seed });
}

/**
 * The mean test log-likelihood of a full-covariance Gaussian fitted to the training points by
 * maximum likelihood (sample mean, covariance divided by n).
 */
export function gaussianBaseline(train: tf.Tensor2D, test: tf.Tensor2D): number {
  const gaussian = MultivariateNormal.fit(train);
  try {
    return tf.tidy(() => tf.mean(gaussian.logProb(test)).dataSync()[0]!);
  } finally {
    gaussian.dispose();
  }
}

/**
 * Draws training and test points from a toy density, fits a flow to the training points with
 * `fit` on the negative log-likelihood, and compares its test log-likelihood with the
 * Gaussian's. Needs tfjs gradients registered (`fit` does it).
 */
export async function fitFlow2d(options: Flow2dOptions = {}): Promise<Flow2dResult> {
  const { data = 'moons', trainSize = 2000, testSize = 2000, seed = 0 } = options;
  const trainSet = toyPoints(data, trainSize, deriveSeed(seed, 0));
  const testSet = toyPoints(data, testSize, deriveSeed(seed, 1));
  const train = tf.tensor2d(trainSet.values, [trainSize, 2]);
  const test = tf.tensor2d(testSet.values, [testSize, 2]);
  const model = new FlowModel({
    flow: flowStack({
      kind: options.kind ?? 'realnvp',
      features: 2,
      layers: options.layers ?? 8,
      hidden: options.hidden ?? [64, 64],
      activation: options.activation ?? 'relu',
      seed,
    }),
  });
  const epochs = options.epochs ?? 40;
  const batchSize = options.batchSize ?? 128;
  const steps = epochs * Math.ceil(trainSize / batchSize);
  try {
    const result = await fit(model, train, {
      loss: (x) => model.negativeLogLikelihood(x),
      epochs,
      batchSize,
      learningRate: cosineDecay({ initial: options.learningRate ?? 5e-3, totalSteps: steps }),
      seed,
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const testLogLikelihood = tf.tidy(() => tf.mean(model.logProb(test)).dataSync()[0]!);
    return {
      model,
      train: trainSet.values,
      test: testSet.values,
      testLogLikelihood,
      gaussianTestLogLikelihood: gaussianBaseline(train, test),
      history: result.history.map((epoch) => epoch.loss),
    };
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    tf.dispose([train, test]);
  }
}
