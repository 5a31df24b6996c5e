// What the tutorial computes on whichever backend is active: the same numbers in
// Node (src/node.ts) and in the page (src/page.ts). Browser-safe: no Node built-in,
// no backend import; the caller has started a backend with useBackend first.
import * as tf from '@tensorflow/tfjs-core';
import { twoMoons } from '@vae/data';
import { ensureGradients, klNormal } from '@vae/divergence';
import { elbo, negativeElboLoss } from '@vae/elbo';
import { mlpVAE } from '@vae/nn';
import { fit } from '@vae/trainer';

/** What {@link compute} measured on the active backend. */
export interface ComputeResult {
  /** KL(N(1, 2²) || N(0, 1)) in nats: (1 + 4 - 1) / 2 - ln 2 = 1.3069. */
  kl: number;
  /** Its gradient with respect to loc and scale: [loc, scale - 1 / scale] = [1, 1.5]. */
  klGradient: [number, number];
  /** Adam steps `fit` took. */
  steps: number;
  /** Mean ELBO (nats per point) of held-out two-moons points, before and after `fit`. */
  elboBefore: number;
  elboAfter: number;
}

/** Options of {@link compute}. */
export interface ComputeOptions {
  /** Passes over the 512 training points in batches of 64 (default 4: 32 steps). */
  epochs?: number;
}

const SEED = 0;

/**
 * A KL and its gradient, then a small VAE (2-32-2, Gaussian decoder) fitted a few
 * steps to two-moons points, with every random draw seeded: on cpu, wasm or webgl
 * the numbers agree up to float32 rounding (the README states the tolerance).
 */
export async function compute(options: ComputeOptions = {}): Promise<ComputeResult> {
  const { epochs = 4 } = options;
  await ensureGradients(); // tfjs-core registers no gradients by itself
  const { kl, klGradient } = klAndGradient(1, 2);

  const train = points(512, SEED);
  const test = points(256, SEED + 1);
  const model = mlpVAE({
    inputShape: [2],
    hidden: [32],
    latentDim: 2,
    likelihood: 'gaussian',
    seed: SEED,
  });
  try {
    const elboBefore = meanElbo(model, test);
    const result = await fit(model, train, {
      loss: (x, { seed }) => negativeElboLoss(model, x, { seed }),
      epochs,
      batchSize: 64,
      learningRate: 1e-2,
      seed: SEED,
    });
    return { kl, klGradient, steps: result.steps, elboBefore, elboAfter: meanElbo(model, test) };
  } finally {
    tf.dispose([train, test]);
    model.dispose();
  }
}

/** KL(N(loc, scale²) || N(0, 1)) and its gradient by `tf.grads`. */
function klAndGradient(loc: number, scale: number): Pick<ComputeResult, 'kl' | 'klGradient'> {
  return tf.tidy(() => {
    const f = (l: tf.Tensor, s: tf.Tensor) =>
      klNormal({ loc: l, scale: s }, { loc: 0, scale: 1 }) as tf.Scalar;
    const { value, grads } = tf.valueAndGrads(f)([tf.scalar(loc), tf.scalar(scale)]);
    return {
      kl: value.dataSync()[0]!,
      klGradient: [grads[0]!.dataSync()[0]!, grads[1]!.dataSync()[0]!],
    };
  });
}

/** `size` two-moons points [size, 2], drawn on the host with `seed`. */
function points(size: number, seed: number): tf.Tensor2D {
  return tf.tensor2d(twoMoons({ size, noise: 0.1, seed }).values, [size, 2]);
}

/** Mean ELBO of `x` in nats per point, 10 posterior draws each, seeded. */
function meanElbo(model: ReturnType<typeof mlpVAE>, x: tf.Tensor2D): number {
  return tf.tidy(() => tf.mean(elbo(model, x, { samples: 10, seed: SEED }).elbo).dataSync()[0]!);
}
