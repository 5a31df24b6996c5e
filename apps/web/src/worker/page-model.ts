// The page's model in the worker: a @vae/nn VAE (an MLP built from the
// controls, or any VAE loaded from a file) with the optimizer that trains it,
// the ELBO's terms for fit, and its pictures as RGBA for the page.
import * as tf from '@tensorflow/tfjs-core';
import { elbo } from '@vae/elbo';
import { mlpVAE, type PriorChoice, type VAE } from '@vae/nn';
import { FusedAdam } from '@vae/trainer';
import {
  describeArchitecture,
  MIXTURE_COMPONENTS,
  type ModelConfig,
  type ModelInfo,
  type PriorName,
  VAMP_COMPONENTS,
} from '../shared/model-config.ts';
import type { Picture } from '../shared/protocol.ts';
import { drawGrid } from './pictures.ts';

/**
 * The ELBO's terms as `fit` takes them: `loss` = -(reconstruction - beta kl), and
 * the metrics `elbo` = reconstruction - kl (<= 0 for a Bernoulli decoder),
 * `reconstruction` = E_q[log p(x | z)] and `kl` = KL(q(z | x) || p(z)) (>= 0), batch
 * means in nats per example, named and signed as the CLI's metrics.jsonl.
 */
export interface BatchTerms {
  loss: tf.Scalar;
  metrics: { elbo: tf.Scalar; reconstruction: tf.Scalar; kl: tf.Scalar };
}

function priorChoice(prior: PriorName): PriorChoice {
  switch (prior) {
    case 'standard-normal':
    case 'diagonal':
      return prior;
    case 'mixture':
      return { kind: 'mixture', components: MIXTURE_COMPONENTS };
    case 'vamp':
      return { kind: 'vamp', components: VAMP_COMPONENTS };
  }
}

/** A VAE, its optimizer and how many training runs it had; owns all three. */
export class PageModel {
  readonly vae: VAE;
  /** Seed of the runs: run k trains with deriveSeed(seed, k). */
  readonly seed: number;
  runs = 0;
  #optimizer: FusedAdam | undefined;

  constructor(vae: VAE, seed: number) {
    this.vae = vae;
    this.seed = seed;
  }

  static build(config: ModelConfig): PageModel {
    const vae = mlpVAE({
      inputShape: config.dataShape,
      hidden: config.hidden,
      latentDim: config.latentDim,
      likelihood: config.likelihood,
      prior: priorChoice(config.prior),
      seed: config.seed,
    });
    return new PageModel(vae, config.seed);
  }

  get dataShape(): number[] {
    return [...this.vae.dataShape];
  }

  get latentDim(): number {
    return this.vae.latentDim;
  }

  /** The optimizer, kept across runs so a second Start continues where the first stopped. */
  optimizer(learningRate: number): FusedAdam {
    this.#optimizer ??= new FusedAdam(learningRate);
    return this.#optimizer;
  }

  info(): ModelInfo {
    const parameters = this.vae.trainableVariables.reduce((sum, v) => sum + v.size, 0);
    return describeArchitecture(this.vae.architecture(), {
      dataShape: this.dataShape,
      latentDim: this.latentDim,
      parameters,
    });
  }

  /** {@link BatchTerms} of a batch `[batch, ...dataShape]`, one reparameterized sample. */
  terms(x: tf.Tensor, options: { seed: number; beta: number }): BatchTerms {
    return tf.tidy(() => {
      const t = elbo(this.vae, x, { seed: options.seed });
      const reconstruction = tf.mean(t.reconstruction) as tf.Scalar;
      const kl = tf.mean(t.kl) as tf.Scalar;
      const bound = tf.sub(reconstruction, kl) as tf.Scalar;
      const loss = tf.neg(tf.sub(reconstruction, tf.mul(options.beta, kl))) as tf.Scalar;
      return { loss, metrics: { elbo: bound, reconstruction, kl } };
    });
  }

  /** The mean ELBO of `x` (nats per example) with a fixed noise seed. */
  async meanElbo(x: tf.Tensor): Promise<number> {
    const terms = this.terms(x, { seed: 12345, beta: 1 });
    const value = await terms.metrics.elbo.data();
    tf.dispose([terms.loss, ...Object.values(terms.metrics)]);
    return value[0]!;
  }

  /** Latent vectors `[n, latentDim]` with the first two coordinates set (the rest 0). */
  #latent(points: readonly (readonly [number, number])[]): tf.Tensor2D {
    const dim = this.latentDim;
    const values = new Float32Array(points.length * dim);
    points.forEach(([a, b], i) => {
      values[i * dim] = a;
      if (dim > 1) values[i * dim + 1] = b;
    });
    return tf.tensor2d(values, [points.length, dim]);
  }

  /** Decoder means over a `cells` x `cells` grid of (z1, z2) in [-extent, extent]^2, rows from z2 = +extent down. */
  latentMap(cells: number, extent: number, imageShape: number[]): Picture {
    const step = (2 * extent) / cells;
    const grid: [number, number][] = [];
    for (let row = 0; row < cells; row++) {
      for (let column = 0; column < cells; column++) {
        grid.push([-extent + (column + 0.5) * step, extent - (row + 0.5) * step]);
      }
    }
    const decoded = tf.tidy(() => this.vae.decoder.mean(this.#latent(grid)));
    try {
      return drawGrid(decoded, { imageShape, columns: cells, padding: 0 });
    } finally {
      decoded.dispose();
    }
  }

  /** The decoder mean at one latent point. */
  decode(z: readonly [number, number], imageShape: number[]): Picture {
    const decoded = tf.tidy(() => this.vae.decoder.mean(this.#latent([z])));
    try {
      return drawGrid(decoded, { imageShape, padding: 0 });
    } finally {
      decoded.dispose();
    }
  }

  dispose(): void {
    this.vae.dispose();
    this.#optimizer?.dispose();
  }
}
