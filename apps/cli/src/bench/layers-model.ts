// The same VAE written with tfjs-layers: Dense layers (784-400-20 encoder with
// mean and log-variance heads, 20-400-784 decoder), a reparameterized sample,
// the Bernoulli negative ELBO with the closed-form KL, and a custom training step
// (tf.variableGrads through optimizer.minimize) with Adam, as a tfjs user writes it.
import * as tf from '@tensorflow/tfjs-core';
import type { BenchModel } from './bench-model.js';

type Layers = typeof import('@tensorflow/tfjs-layers');

/** Imports tfjs-layers (a dev dependency of the CLI) or says why it cannot. */
export async function loadLayers(): Promise<Layers | string> {
  try {
    return await import('@tensorflow/tfjs-layers');
  } catch (error) {
    return `@tensorflow/tfjs-layers is not installed (${String(error)})`;
  }
}

export function layersVae(tfl: Layers, seed: number): BenchModel {
  const init = (offset: number) => tfl.initializers.heUniform({ seed: seed + offset });
  const dense = (units: number, offset: number, activation?: 'relu') =>
    tfl.layers.dense({ units, kernelInitializer: init(offset), ...(activation && { activation }) });
  const hidden = dense(400, 1, 'relu');
  const mean = dense(20, 2);
  const logVariance = dense(20, 3);
  const decoderHidden = dense(400, 4, 'relu');
  const logits = dense(784, 5);
  const apply = (layer: { apply(x: tf.Tensor): unknown }, x: tf.Tensor) =>
    layer.apply(x) as tf.Tensor;
  const decode = (z: tf.Tensor) => apply(logits, apply(decoderHidden, z));
  tf.tidy(() => decode(apply(mean, apply(hidden, tf.zeros([1, 784]))))); // builds the weights
  tf.tidy(() => apply(logVariance, apply(hidden, tf.zeros([1, 784]))));
  const variables = [hidden, mean, logVariance, decoderHidden, logits].flatMap((layer) =>
    layer.trainableWeights.map((weight) => weight.read() as tf.Variable),
  );
  const optimizer = tf.train.adam(1e-3);
  let step = 0;

  const loss = (x: tf.Tensor): tf.Scalar => {
    const h = apply(hidden, x);
    const mu = apply(mean, h);
    const logVar = apply(logVariance, h);
    const epsilon = tf.randomNormal(mu.shape, 0, 1, 'float32', seed + step++);
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, logVar)), epsilon));
    const l = decode(z);
    // -log p(x | z) for Bernoulli logits: softplus(l) - x * l, summed over pixels
    const reconstruction = tf.sum(tf.sub(tf.softplus(l), tf.mul(x, l)), 1);
    const kl = tf.mul(
      -0.5,
      tf.sum(tf.sub(tf.add(1, logVar), tf.add(tf.square(mu), tf.exp(logVar))), 1),
    );
    return tf.mean(tf.add(reconstruction, kl)) as tf.Scalar;
  };

  return {
    name: 'tfjs-layers',
    async trainStep(x) {
      const value = optimizer.minimize(() => loss(x), true, variables);
      await value!.data();
      value!.dispose();
    },
    async sample(n) {
      const images = tf.tidy(() =>
        tf.sigmoid(decode(tf.randomNormal([n, 20], 0, 1, 'float32', seed + step++))),
      );
      await images.data();
      images.dispose();
    },
    dispose() {
      optimizer.dispose();
      for (const layer of [hidden, mean, logVariance, decoderHidden, logits]) layer.dispose();
    },
  };
}
