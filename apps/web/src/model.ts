// The page's VAE: an MLP Gaussian encoder and Bernoulli decoder on @vae/nn
// layers, with the negative ELBO (closed-form KL to N(0, I)) as its loss.
import * as tf from '@tensorflow/tfjs-core';
import { klStandardNormal, VaeError } from '@vae/divergence';
import { Linear, Module, relu, Sequential } from '@vae/nn';

/** The architecture, recorded in saved weights and checked on load. */
export interface VaeArchitecture {
  inputDim: number;
  hiddenDims: number[];
  latentDim: number;
}

/** The 2-D latent preset the latent explorer needs; 784-400-2. */
export const LATENT_2D: VaeArchitecture = { inputDim: 784, hiddenDims: [256], latentDim: 2 };
/** The default model: a wider latent trains to a better ELBO but has no 2-D map. */
export const LATENT_16: VaeArchitecture = { inputDim: 784, hiddenDims: [256], latentDim: 16 };

function mlp(dims: readonly number[], seed: number, inputGradient: boolean): Sequential {
  const layers: Module[] = [];
  for (let i = 0; i + 1 < dims.length; i++) {
    layers.push(
      new Linear({
        inFeatures: dims[i]!,
        outFeatures: dims[i + 1]!,
        seed: seed + i,
        inputGradient: inputGradient || i > 0,
      }),
    );
    if (i + 2 < dims.length) layers.push(relu());
  }
  return new Sequential(layers);
}

class Networks extends Module {
  readonly encoder: Sequential;
  readonly decoder: Sequential;
  constructor(architecture: VaeArchitecture, seed: number) {
    super();
    const { inputDim, hiddenDims, latentDim } = architecture;
    this.encoder = this.addModule(
      'encoder',
      mlp([inputDim, ...hiddenDims, 2 * latentDim], seed, false),
    );
    this.decoder = this.addModule(
      'decoder',
      mlp([latentDim, ...[...hiddenDims].reverse(), inputDim], seed + 100, true),
    );
  }
  call(x: tf.Tensor): tf.Tensor {
    return this.encoder.apply(x);
  }
}

/** Per-batch means, in nats per example. */
export interface ElboTerms {
  /** Negative ELBO: reconstruction + kl. */
  loss: tf.Scalar;
  /** -E_q[log p(x | z)]. */
  reconstruction: tf.Scalar;
  kl: tf.Scalar;
}

/** An MLP VAE: q(z|x) = N(mu(x), diag(sigma^2(x))), p(x|z) = Bernoulli(logits(z)), p(z) = N(0, I). */
export class PageVae {
  readonly architecture: VaeArchitecture;
  readonly #networks: Networks;

  constructor(architecture: VaeArchitecture, seed = 1) {
    this.architecture = architecture;
    this.#networks = new Networks(architecture, seed);
  }

  get trainableVariables(): tf.Variable[] {
    return this.#networks.trainableVariables;
  }

  namedWeights(): [string, tf.Variable][] {
    return this.#networks.namedParameters();
  }

  /** Posterior mean and log-variance, each `[batch, latentDim]`. */
  encode(x: tf.Tensor2D): { mean: tf.Tensor2D; logVariance: tf.Tensor2D } {
    return tf.tidy(() => {
      const [mean, logVariance] = tf.split(this.#networks.encoder.apply(x), 2, -1) as [
        tf.Tensor2D,
        tf.Tensor2D,
      ];
      return { mean, logVariance };
    });
  }

  /** Bernoulli means (pixel probabilities) `[batch, 784]` of the decoder at `z` `[batch, latentDim]`. */
  decodeMean(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.#networks.decoder.apply(z)) as tf.Tensor2D);
  }

  /** Negative ELBO terms of a batch `[batch, 784]`, one reparameterized sample. */
  elbo(x: tf.Tensor2D, seed: number): ElboTerms {
    return tf.tidy(() => {
      const { mean, logVariance } = this.encode(x);
      const noise = tf.randomNormal(mean.shape, 0, 1, 'float32', seed);
      const z = tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVariance)), noise)) as tf.Tensor2D;
      const logits = this.#networks.decoder.apply(z);
      // -log Bernoulli(x | sigmoid(l)) = softplus(l) - x l, summed over pixels.
      const nll = tf.sum(tf.sub(tf.softplus(logits), tf.mul(x, logits)), -1);
      const kl = klStandardNormal(mean, logVariance, { validateArgs: false });
      const reconstruction = tf.mean(nll) as tf.Scalar;
      const klMean = tf.mean(kl) as tf.Scalar;
      return { loss: tf.add(reconstruction, klMean) as tf.Scalar, reconstruction, kl: klMean };
    });
  }

  /** `n` images from the prior, `[n, 784]` pixel probabilities. */
  sample(n: number, seed: number): tf.Tensor2D {
    return tf.tidy(() =>
      this.decodeMean(tf.randomNormal([n, this.architecture.latentDim], 0, 1, 'float32', seed)),
    );
  }

  /** The decoder's mean at the posterior mean: `[batch, 784]`. */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.decodeMean(this.encode(x).mean));
  }

  /** Copies weights in (by name and shape), e.g. after loading a file. */
  assign(weights: tf.NamedTensorMap): void {
    const named = this.namedWeights();
    for (const [name, variable] of named) {
      const value = weights[name];
      if (value === undefined || value.shape.join() !== variable.shape.join()) {
        throw new VaeError(
          'CHECKPOINT_MISMATCH',
          `PageVae.assign: weight '${name}' [${variable.shape}] is ${value === undefined ? 'missing' : `[${value.shape}]`} in the file`,
        );
      }
    }
    for (const [name, variable] of named) variable.assign(weights[name]!);
  }

  dispose(): void {
    this.#networks.dispose();
  }
}
