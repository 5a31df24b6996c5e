import * as tf from '@tensorflow/tfjs-core';
import { type Distribution, hasKL, klDivergence } from '@vae/distributions';
import { ensureArgument, VaeError } from '@vae/divergence';
import type { ElboOptions, KlEstimator } from '../elbo.js';
import { gaussianParameters, klPerDimension } from './fast-path.js';

const ESTIMATORS: readonly KlEstimator[] = ['auto', 'analytic', 'montecarlo'];

export function checkElboOptions(
  fn: string,
  options: ElboOptions,
): Required<Omit<ElboOptions, 'seed' | 'freeBits'>> {
  const { samples = 1, beta = 1, kl = 'auto', freeBits } = options;
  ensureArgument(
    Number.isInteger(samples) && samples >= 1,
    () => `${fn}: \`samples\` must be a positive integer, got ${samples}`,
  );
  ensureArgument(
    Number.isFinite(beta) && beta >= 0,
    () => `${fn}: \`beta\` must be a finite number >= 0, got ${beta}`,
  );
  ensureArgument(
    ESTIMATORS.includes(kl),
    () => `${fn}: \`kl\` must be 'auto', 'analytic' or 'montecarlo', got '${String(kl)}'`,
  );
  ensureArgument(
    freeBits === undefined || (Number.isFinite(freeBits) && freeBits >= 0),
    () => `${fn}: \`freeBits\` must be a finite number >= 0, got ${freeBits}`,
  );
  return { samples, beta, kl };
}

/**
 * The KL term [batch] and the penalty [batch] (free bits applied), inside the
 * caller's tidy. `z` [samples, batch, latentDim] are the posterior draws the
 * Monte Carlo estimate averages over.
 */
export function klTerms(
  q: Distribution,
  prior: Distribution,
  options: { fn: string; kl: KlEstimator; freeBits: number | undefined; z: () => tf.Tensor },
): { kl: tf.Tensor; penalty: tf.Tensor } {
  const { fn } = options;
  if (options.freeBits !== undefined) {
    const posterior = gaussianParameters(q);
    const prior0 = gaussianParameters(prior);
    if (posterior === undefined || prior0 === undefined) {
      throw new VaeError(
        'UNSUPPORTED',
        `${fn}: \`freeBits\` needs a KL per latent dimension: a diagonal Gaussian posterior and prior that expose loc and logVariance (got ${q.constructor.name} and ${prior.constructor.name})`,
      );
    }
    const perDim = klPerDimension(posterior, prior0);
    return { kl: tf.sum(perDim, -1), penalty: tf.sum(tf.maximum(perDim, options.freeBits), -1) };
  }
  const closedForm = options.kl === 'analytic' || (options.kl === 'auto' && hasKL(q, prior));
  // 'analytic' with no registered pair throws KL_NOT_REGISTERED from klDivergence.
  const kl = closedForm
    ? klDivergence(q, prior)
    : tf.mean(tf.sub(q.logProb(options.z()), prior.logProb(options.z())), 0);
  return { kl, penalty: kl };
}
