// The training step the throughput bench times, with no DOM: the page's VAE
// (784-256-16, Bernoulli decoder, batch 100) written on @vae/nn, and the same model
// built from tfjs-layers Dense layers, each trained with tf.train.adam. bench.html
// times them in Chromium; bench/run.mjs times the same module in Node (through Vite's
// SSR loader) on the same backend and threads, so the page can be compared with Node.
// The caller registers tfjs's gradients (the page imports them; Node: ensureGradients).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { klStandardNormal } from '@vae/divergence';
import { PRESETS } from './shared/model-config.ts';
import { PageModel } from './worker/page-model.ts';

/** What the bench trains, as its result names it. */
export const BENCH_MODEL = '784-256-16 MLP VAE, Bernoulli decoder, batch 100, Adam';

const LATENT_16 = PRESETS['mlp-16'];

const BATCH = 100;
const WARMUP = 5;

function batch(seed: number): tf.Tensor2D {
  return tf.tidy(
    () =>
      tf.cast(
        tf.greater(tf.randomUniform([BATCH, 784], 0, 1, 'float32', seed), 0.7),
        'float32',
      ) as tf.Tensor2D,
  );
}

/** Samples/s of `step` over `steps` timed steps after a few untimed ones, one loss readback a step. */
export async function timeSteps(
  step: (x: tf.Tensor2D, i: number) => tf.Scalar,
  steps: number,
): Promise<number> {
  const x = batch(1);
  for (let i = 0; i < WARMUP; i++) {
    const loss = step(x, i);
    await loss.data();
    loss.dispose();
  }
  const start = performance.now();
  let last: tf.Scalar | undefined;
  for (let i = 0; i < steps; i++) {
    last?.dispose();
    last = step(x, i);
    await last.data(); // one readback per step, as fit does
  }
  last?.dispose();
  const seconds = (performance.now() - start) / 1000;
  x.dispose();
  return (steps * BATCH) / seconds;
}

/** One Adam step of the @vae/nn model per call. */
export function vaeNnStep(): (x: tf.Tensor2D, i: number) => tf.Scalar {
  const model = PageModel.build({
    dataShape: [784],
    hidden: [...LATENT_16.hidden],
    latentDim: LATENT_16.latentDim,
    prior: 'standard-normal',
    likelihood: 'bernoulli',
    seed: 1,
  });
  const optimizer = tf.train.adam(1e-3);
  return (x, i) =>
    optimizer.minimize(
      () => model.terms(x, { seed: i, beta: 1 }).loss,
      true,
      model.vae.trainableVariables,
    ) as tf.Scalar;
}

/** One Adam step of the tfjs-layers model per call. */
export function layersStep(): (x: tf.Tensor2D, i: number) => tf.Scalar {
  const { hidden: hiddenDims, latentDim } = LATENT_16;
  const hidden = hiddenDims[0]!;
  const enc1 = tfl.layers.dense({ units: hidden, activation: 'relu', inputShape: [784] });
  const enc2 = tfl.layers.dense({ units: 2 * latentDim });
  const dec1 = tfl.layers.dense({ units: hidden, activation: 'relu', inputShape: [latentDim] });
  const dec2 = tfl.layers.dense({ units: 784 });
  const encoder = tfl.sequential({ layers: [enc1, enc2] });
  const decoder = tfl.sequential({ layers: [dec1, dec2] });
  const variables = [...encoder.trainableWeights, ...decoder.trainableWeights].map(
    (w) => w.read() as tf.Variable,
  );
  const optimizer = tf.train.adam(1e-3);
  return (x, i) =>
    optimizer.minimize(
      () => {
        const [mean, logVariance] = tf.split(encoder.apply(x) as tf.Tensor2D, 2, -1) as [
          tf.Tensor2D,
          tf.Tensor2D,
        ];
        const noise = tf.randomNormal(mean.shape, 0, 1, 'float32', i);
        const z = tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVariance)), noise));
        const logits = decoder.apply(z) as tf.Tensor2D;
        const nll = tf.sum(tf.sub(tf.softplus(logits), tf.mul(x, logits)), -1);
        const kl = klStandardNormal(mean, logVariance, { validateArgs: false });
        return tf.mean(tf.add(nll, kl)) as tf.Scalar;
      },
      true,
      variables,
    ) as tf.Scalar;
}
