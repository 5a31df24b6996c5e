import * as tf from '@tensorflow/tfjs-core';
import { type Distribution, klDivergence } from '@vae/distributions';
import { ensureArgument, klStandardNormal } from '@vae/divergence';
import type { ElboOptions } from '../elbo.js';
import type { LatentVariableModel } from '../latent-variable-model.js';
import { gaussianParameters, klPerDimension } from './fast-path.js';

export function checkElboOptions(
  fn: string,
  options: ElboOptions,
): Required<Omit<ElboOptions, 'seed' | 'freeBits'>> {
  const { samples = 1, beta = 1, kl = 'analytic', freeBits } = options;
  ensureArgument(
    Number.isInteger(samples) && samples >= 1,
    () => `${fn}: \`samples\` must be a positive integer, got ${samples}`,
  );
  ensureArgument(
    Number.isFinite(beta) && beta >= 0,
    () => `${fn}: \`beta\` must be a finite number >= 0, got ${beta}`,
  );
  ensureArgument(
    kl === 'analytic' || kl === 'montecarlo',
    () => `${fn}: \`kl\` must be 'analytic' or 'montecarlo', got '${String(kl)}'`,
  );
  ensureArgument(
    freeBits === undefined || (Number.isFinite(freeBits) && freeBits >= 0),
    () => `${fn}: \`freeBits\` must be a finite number >= 0, got ${freeBits}`,
  );
  return { samples, beta, kl };
}

/** The KL term [batch] and the penalty [batch] (free bits applied), inside a tidy. */
export function klTerms(
  model: LatentVariableModel,
  q: Distribution,
  options: {
    fn: string;
    kl: 'analytic' | 'montecarlo';
    freeBits: number | undefined;
    z?: tf.Tensor;
  },
): { kl: tf.Tensor; penalty: tf.Tensor } {
  const { fn } = options;
  const gaussian = gaussianParameters(model, q);
  if (options.freeBits !== undefined) {
    ensureArgument(
      gaussian !== undefined,
      () => `${fn}: \`freeBits\` needs an N(0, I) prior and a posterior with loc and logVariance`,
    );
    const perDim = klPerDimension(gaussian);
    return { kl: tf.sum(perDim, -1), penalty: tf.sum(tf.maximum(perDim, options.freeBits), -1) };
  }
  let kl: tf.Tensor;
  if (options.kl === 'montecarlo' && options.z !== undefined) {
    kl = tf.mean(tf.sub(q.logProb(options.z), model.prior.logProb(options.z)), 0);
  } else if (gaussian !== undefined) {
    kl = klStandardNormal(gaussian.loc, gaussian.logVariance, { validateArgs: false });
  } else {
    kl = klDivergence(q, model.prior);
  }
  return { kl, penalty: kl };
}
