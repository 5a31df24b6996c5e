import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import { deriveSeed } from '@vae/divergence';
import type { LatentVariableModel } from '../latent-variable-model.js';
import { logLikelihoodOfSamples } from './fast-path.js';

/**
 * log p(x | z_i) + log p(z_i) - log q(z_i | x) for k reparameterized draws
 * z_i ~ q(z | x), all decoded at once: [k, batch], in the caller's scope
 * (gradients flow). The draws come from `deriveSeed(seed, stream)` (stream 0
 * by default), as chunk `stream` of `iwae` and `logLikelihood` draws, so the
 * same seed gives the same samples. `q` and `prior`, when given, are the
 * caller's (built once for several chunks); otherwise they are made and freed here.
 */
export function logImportanceWeights(
  model: LatentVariableModel,
  x: tf.Tensor,
  options: {
    k: number;
    seed: number | undefined;
    stream?: number;
    distributions?: { q: Distribution; prior: Distribution };
    /** How x is encoded (a training loss passes `inputGradient: false`). */
    encode?: { inputGradient?: boolean };
  },
): tf.Tensor {
  const { k, seed, stream = 0 } = options;
  const q = options.distributions?.q ?? model.encode(x, options.encode);
  const prior = options.distributions?.prior ?? model.priorDistribution();
  try {
    const z = q.rsample([k], seed === undefined ? undefined : deriveSeed(seed, stream));
    return tf.add(logLikelihoodOfSamples(model, x, z), tf.sub(prior.logProb(z), q.logProb(z)));
  } finally {
    if (options.distributions === undefined) {
      q.dispose();
      prior.dispose();
    }
  }
}
