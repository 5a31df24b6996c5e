// The benchmarked VAEs written with tfjs-layers, as a tfjs user writes them: the
// MLP (Dense 784-400 encoder with mean and log-variance heads of 20, decoder 20-400-784)
// or the conv model (conv2d / conv2dTranspose layers, see ./architectures.ts), a
// reparameterized sample, the Bernoulli negative ELBO with the closed-form KL, and a
// custom training step (tf.variableGrads through optimizer.minimize) with Adam.
import * as tf from '@tensorflow/tfjs-core';
import { BENCH_ARCHITECTURES, type BenchModelName } from './architectures.js';
import type { BenchModel } from './bench-model.js';

type Layers = typeof import('@tensorflow/tfjs-layers');
type Layer = { apply(x: tf.Tensor): unknown; trainableWeights: { read(): tf.Tensor }[] } & {
  dispose(): unknown;
};

/** Imports tfjs-layers (a dev dependency of the CLI) or says why it cannot. */
export async function loadLayers(): Promise<Layers | string> {
  try {
    return await import('@tensorflow/tfjs-layers');
  } catch (error) {
    return `@tensorflow/tfjs-layers is not installed (${String(error)})`;
  }
}

/** The encoder body, the two heads, the decoder and the latent size of a model. */
interface LayersNetwork {
  encoder: Layer[];
  mean: Layer;
  logVariance: Layer;
  decoder: Layer[];
  latent: number;
}

/** Dense layers with He-uniform kernels seeded `seed + offset`. */
function denseLayers(tfl: Layers, seed: number) {
  return (units: number, offset: number, activation?: 'relu') =>
    tfl.layers.dense({
      units,
      kernelInitializer: tfl.initializers.heUniform({ seed: seed + offset }),
      ...(activation && { activation }),
    });
}

function mlpNetwork(tfl: Layers, seed: number): LayersNetwork {
  const dense = denseLayers(tfl, seed);
  return {
    encoder: [dense(400, 1, 'relu')],
    mean: dense(20, 2),
    logVariance: dense(20, 3),
    decoder: [dense(400, 4, 'relu'), dense(784, 5)],
    latent: 20,
  };
}

function convNetwork(tfl: Layers, imageShape: number[], seed: number): LayersNetwork {
  const [height, width, channels] = imageShape as [number, number, number];
  const dense = denseLayers(tfl, seed);
  // 4x4 kernels, stride 2, 'same' padding (convVAE's), He-uniform kernels.
  const conv = (filters: number, offset: number, activation?: 'relu') => ({
    filters,
    kernelSize: 4,
    strides: 2,
    padding: 'same' as const,
    kernelInitializer: tfl.initializers.heUniform({ seed: seed + offset }),
    ...(activation && { activation }),
  });
  const [h, w] = [height / 4, width / 4];
  return {
    encoder: [
      tfl.layers.conv2d(conv(32, 1, 'relu')),
      tfl.layers.conv2d(conv(64, 2, 'relu')),
      tfl.layers.flatten(),
      dense(256, 3, 'relu'),
    ],
    mean: dense(16, 4),
    logVariance: dense(16, 5),
    decoder: [
      dense(256, 6, 'relu'),
      dense(h * w * 64, 7, 'relu'),
      tfl.layers.reshape({ targetShape: [h, w, 64] }),
      tfl.layers.conv2dTranspose(conv(32, 8, 'relu')),
      tfl.layers.conv2dTranspose(conv(channels, 9)),
    ],
    latent: 16,
  };
}

/** The model `name` in tfjs-layers, with Adam 1e-3 and weights seeded from `seed`. */
export function layersVae(tfl: Layers, name: BenchModelName, seed: number): BenchModel {
  const { imageShape } = BENCH_ARCHITECTURES[name];
  const network = name === 'mlp' ? mlpNetwork(tfl, seed) : convNetwork(tfl, imageShape, seed);
  const { encoder, mean, logVariance, decoder, latent } = network;
  const run = (layers: Layer[], x: tf.Tensor) =>
    layers.reduce((h, layer) => layer.apply(h) as tf.Tensor, x);
  const decode = (z: tf.Tensor) => run(decoder, z);
  tf.tidy(() => {
    // builds the weights
    const h = run(encoder, tf.zeros([1, ...imageShape]));
    decode(mean.apply(h) as tf.Tensor);
    logVariance.apply(h);
  });
  const layers = [...encoder, mean, logVariance, ...decoder];
  const variables = layers.flatMap((layer) =>
    layer.trainableWeights.map((weight) => weight.read() as tf.Variable),
  );
  const optimizer = tf.train.adam(1e-3);
  let step = 0;

  const loss = (x: tf.Tensor): tf.Scalar => {
    const h = run(encoder, x);
    const mu = mean.apply(h) as tf.Tensor;
    const logVar = logVariance.apply(h) as tf.Tensor;
    const epsilon = tf.randomNormal(mu.shape, 0, 1, 'float32', seed + step++);
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, logVar)), epsilon));
    const l = tf.reshape(decode(z), [x.shape[0]!, -1]);
    const flat = tf.reshape(x, [x.shape[0]!, -1]);
    // -log p(x | z) for Bernoulli logits: softplus(l) - x * l, summed over pixels
    const reconstruction = tf.sum(tf.sub(tf.softplus(l), tf.mul(flat, l)), 1);
    const kl = tf.mul(
      -0.5,
      tf.sum(tf.sub(tf.add(1, logVar), tf.add(tf.square(mu), tf.exp(logVar))), 1),
    );
    return tf.mean(tf.add(reconstruction, kl)) as tf.Scalar;
  };

  return {
    name: 'tfjs-layers',
    parameters: variables.reduce((sum, v) => sum + v.size, 0),
    async trainStep(x) {
      const value = optimizer.minimize(() => loss(x), true, variables);
      await value!.data();
      value!.dispose();
    },
    async sample(n) {
      const images = tf.tidy(() =>
        tf.sigmoid(decode(tf.randomNormal([n, latent], 0, 1, 'float32', seed + step++))),
      );
      await images.data();
      images.dispose();
    },
    dispose() {
      optimizer.dispose();
      for (const layer of layers) layer.dispose();
    },
  };
}
