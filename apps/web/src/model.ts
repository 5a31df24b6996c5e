// The page's model: a VAE from @vae/nn (the mlpVAE preset, or any VAE loaded
// from a checkpoint, conv included) seen through flat [batch, 784] images, with
// the ELBO terms from @vae/elbo.
import * as tf from '@tensorflow/tfjs-core';
import { elbo } from '@vae/elbo';
import { mlpVAE, type VAE } from '@vae/nn';

/** The presets the page trains: an MLP 784-256-latentDim with a Bernoulli decoder. */
export interface PagePreset {
  hidden: number[];
  latentDim: number;
}

/** The 2-D latent preset the latent explorer needs. */
export const LATENT_2D: PagePreset = { hidden: [256], latentDim: 2 };
/** A wider latent trains to a better ELBO but has no full 2-D map. */
export const LATENT_16: PagePreset = { hidden: [256], latentDim: 16 };

/**
 * The ELBO's terms as `fit` takes them: `loss` = -ELBO, and the metrics `elbo`
 * (<= 0), `reconstruction` = E_q[log p(x | z)] (<= 0) and `kl` (>= 0), batch means
 * in nats per example (elbo = reconstruction - kl), named and signed as the
 * CLI's metrics.jsonl. `fit` disposes them.
 */
export interface BatchTerms {
  loss: tf.Scalar;
  metrics: { elbo: tf.Scalar; reconstruction: tf.Scalar; kl: tf.Scalar };
}

/** A @vae/nn VAE with the page's flat-image view; owns the VAE. */
export class PageVae {
  readonly vae: VAE;
  readonly #pixels: number;

  constructor(vae: VAE) {
    this.vae = vae;
    this.#pixels = vae.dataShape.reduce((a, b) => a * b, 1);
  }

  /** A fresh MLP VAE of a preset, Bernoulli decoder. */
  static fromPreset(preset: PagePreset, seed = 1): PageVae {
    return new PageVae(
      mlpVAE({ inputShape: [784], hidden: preset.hidden, latentDim: preset.latentDim, seed }),
    );
  }

  get latentDim(): number {
    return this.vae.latentDim;
  }

  get trainableVariables(): tf.Variable[] {
    return this.vae.trainableVariables;
  }

  /** One line about the architecture, for the page: the layer widths and the decoder. */
  describe(): string {
    const widths = this.vae.encoder
      .namedParameters()
      .filter(([name]) => name.endsWith('weight'))
      .map(([, v]) => v.shape[v.shape.length - 1]);
    const kind = this.vae.encoder.namedParameters().some(([, v]) => v.rank === 4) ? 'conv' : 'MLP';
    const likelihood = this.vae.decoder.constructor.name.replace(/Decoder$/, '');
    return `${kind} ${this.vae.dataShape.join('x')}→${widths.slice(0, -1).join('-')}, latent ${this.latentDim}, ${likelihood}`;
  }

  #toData(x: tf.Tensor): tf.Tensor {
    return tf.reshape(x, [x.shape[0]!, ...this.vae.dataShape]);
  }

  #flat(x: tf.Tensor): tf.Tensor2D {
    return tf.reshape(x, [x.shape[0]!, this.#pixels]);
  }

  /** Posterior mean `[batch, latentDim]` of flat images `[batch, 784]`. */
  encodeMean(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const q = this.vae.encode(this.#toData(x));
      try {
        return q.mean as tf.Tensor2D;
      } finally {
        q.dispose();
      }
    });
  }

  /** Decoder means (pixel probabilities) `[batch, 784]` at `z` `[batch, latentDim]`. */
  decodeMean(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.#flat(this.vae.decoder.mean(z)));
  }

  /** The ELBO's terms ({@link BatchTerms}) for a batch `[batch, 784]`, one reparameterized sample. */
  elbo(x: tf.Tensor2D, seed: number): BatchTerms {
    return tf.tidy(() => {
      const terms = elbo(this.vae, this.#toData(x), { seed });
      const reconstruction = tf.mean(terms.reconstruction) as tf.Scalar;
      const kl = tf.mean(terms.kl) as tf.Scalar;
      const bound = tf.sub(reconstruction, kl) as tf.Scalar;
      return { loss: tf.neg(bound) as tf.Scalar, metrics: { elbo: bound, reconstruction, kl } };
    });
  }

  /** `n` decoded prior draws, `[n, 784]`. */
  sample(n: number, seed: number): tf.Tensor2D {
    return tf.tidy(() => this.#flat(this.vae.sample(n, { seed })));
  }

  /** Decoded posterior means, `[batch, 784]`. */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.#flat(this.vae.reconstruct(this.#toData(x))));
  }

  /** Decoded means along the line between the posterior means of `a` and `b` (`[784]` each): `[steps, 784]`. */
  interpolate(a: tf.Tensor, b: tf.Tensor, steps: number): tf.Tensor2D {
    return tf.tidy(() =>
      this.#flat(
        this.vae.interpolate(
          this.#toData(tf.reshape(a, [1, -1])),
          this.#toData(tf.reshape(b, [1, -1])),
          steps,
        ),
      ),
    );
  }

  dispose(): void {
    this.vae.dispose();
  }
}
