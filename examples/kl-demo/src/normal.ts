import * as tf from '@tensorflow/tfjs-core';
import { klMonteCarlo } from '@vae/divergence';

/** A univariate normal by its mean and standard deviation. */
export interface Normal {
  loc: number;
  scale: number;
}

function logProb(x: tf.Tensor, { loc, scale }: Normal): tf.Tensor {
  const z = tf.div(tf.sub(x, loc), scale);
  return tf.sub(tf.mul(-0.5, tf.square(z)), Math.log(scale) + 0.5 * Math.log(2 * Math.PI));
}

/**
 * Estimates KL(p || q) = E_p[log p(x) - log q(x)] from samples of p with
 * `klMonteCarlo`, and the standard error of that mean.
 */
export function monteCarloKl(
  p: Normal,
  q: Normal,
  { samples, seed }: { samples: number; seed: number },
): { estimate: number; standardError: number } {
  return tf.tidy(() => {
    const x = tf.add(tf.mul(tf.randomNormal([samples], 0, 1, 'float32', seed), p.scale), p.loc);
    const logP = logProb(x, p);
    const logQ = logProb(x, q);
    const estimate = klMonteCarlo(logP, logQ).dataSync()[0]!;
    const variance = tf.moments(tf.sub(logP, logQ)).variance.dataSync()[0]!;
    return { estimate, standardError: Math.sqrt(variance / samples) };
  });
}
