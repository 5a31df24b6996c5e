// The tutorial's model code, browser-safe: a VAE whose prior you choose.
import * as tf from '@tensorflow/tfjs-core';
import { elbo, negativeElboLoss } from '@vae/elbo';
import {
  BernoulliDecoder,
  GaussianEncoder,
  Linear,
  MixtureOfGaussiansPrior,
  mlpVAE,
  relu,
  Sequential,
  VAE,
} from '@vae/nn';
import { fit } from '@vae/trainer';

export type PriorKind = 'standard-normal' | 'mixture' | 'vamp';

export interface PriorModelOptions {
  prior: PriorKind;
  latentDim?: number;
  /** Mixture components or VampPrior pseudo-inputs (default 10). */
  components?: number;
  seed?: number;
}

/**
 * A 784-256-latentDim MLP VAE with a Bernoulli decoder and the prior asked for:
 * - `'mixture'` is assembled by hand, to show the parts: an encoder, a decoder
 *   and a `MixtureOfGaussiansPrior` given to `new VAE(...)`;
 * - `'vamp'` comes from the preset (`mlpVAE({ prior: { kind: 'vamp' } })`), which
 *   wires the VampPrior's pseudo-inputs through the VAE's own encoder;
 * - `'standard-normal'`, N(0, I), is the baseline.
 */
export function priorModel(options: PriorModelOptions): VAE {
  const { prior, latentDim = 8, components = 10, seed = 0 } = options;
  if (prior === 'vamp' || prior === 'standard-normal') {
    return mlpVAE({
      hidden: [256],
      latentDim,
      seed,
      prior: prior === 'vamp' ? { kind: 'vamp', components } : 'standard-normal',
    });
  }
  const encoder = new GaussianEncoder({
    body: new Sequential([
      new Linear({ inFeatures: 784, outFeatures: 256, seed, inputGradient: false }),
      relu(),
    ]),
    features: 256,
    latentDim,
    seed: seed + 1,
  });
  const decoder = new BernoulliDecoder({
    body: new Sequential([
      new Linear({ inFeatures: latentDim, outFeatures: 256, seed: seed + 2 }),
      relu(),
      new Linear({ inFeatures: 256, outFeatures: 784, seed: seed + 3 }),
    ]),
    eventShape: [784],
  });
  const mixture = new MixtureOfGaussiansPrior({ latentDim, components, seed: seed + 4 });
  return new VAE({ encoder, decoder, prior: mixture });
}

export interface TrainResult {
  model: VAE;
  /** Mean training loss (-ELBO, nats per image) of each epoch. */
  history: number[];
  /** Mean ELBO of the held-out images (nats per image; 10 samples each). */
  testElbo: number;
}

/**
 * Trains a VAE with the chosen prior on `train` ([n, 784] in [0, 1]) with `fit`
 * and the negative ELBO (its KL term is a Monte Carlo estimate for the mixture
 * and the VampPrior, which have no closed form), then measures the ELBO on
 * `test`. The caller owns the returned model.
 */
export async function trainWithPrior(
  train: tf.Tensor2D,
  test: tf.Tensor2D,
  options: PriorModelOptions & { epochs?: number; batchSize?: number },
): Promise<TrainResult> {
  const { epochs = 10, batchSize = 50, seed = 0 } = options;
  const model = priorModel(options);
  const result = await fit(model, train, {
    loss: (x, { seed: stepSeed }) => negativeElboLoss(model, x, { seed: stepSeed }),
    epochs,
    batchSize,
    seed,
    learningRate: 2e-3,
  });
  const testElbo = tf.tidy(() => {
    const terms = elbo(model, test, { samples: 10, seed });
    return tf.mean(terms.elbo).dataSync()[0]!;
  });
  return { model, history: result.history.map((epoch) => epoch.loss), testElbo };
}

/** `count` digits drawn from the model: z from its prior, then the decoder's mean. [count, 784]. */
export function sampleDigits(model: VAE, count: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const prior = model.priorDistribution();
    const z = prior.sample([count], seed);
    const p = model.decode(z);
    const mean = p.mean() as tf.Tensor2D;
    prior.dispose();
    p.dispose();
    return tf.clone(mean);
  });
}
