import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal } from '@vae/distributions';
import { DiagonalNormal, StandardNormal } from '@vae/nn';
import type { LatentVariableModel } from '../src/index.js';

/**
 * z ~ N(0, 1) (one latent dimension), x | z ~ N(w z + b, sigma^2 I) in two
 * dimensions, so p(x) = N(b, w w^T + sigma^2 I) and the exact posterior is
 * Gaussian. The encoder is q(z | x) = N(scaleShift * mu*(x), posteriorVariance * varianceFactor)
 * around the exact posterior mean mu*(x): factors of 1 make it exact.
 */
export class LinearGaussian implements LatentVariableModel {
  readonly w = [1.5, -0.7];
  readonly b = [0.3, -0.2];
  readonly sigma = 0.6;
  constructor(
    readonly meanFactor = 1,
    readonly varianceFactor = 1,
  ) {}

  priorDistribution(): StandardNormal {
    return new StandardNormal(1);
  }

  get posteriorVariance(): number {
    const ww = this.w[0]! ** 2 + this.w[1]! ** 2;
    return 1 / (1 + ww / this.sigma ** 2);
  }

  posteriorMean(x: number[]): number {
    const dot = this.w[0]! * (x[0]! - this.b[0]!) + this.w[1]! * (x[1]! - this.b[1]!);
    return (this.posteriorVariance * dot) / this.sigma ** 2;
  }

  encode(x: tf.Tensor): DiagonalNormal {
    const [loc, logVariance] = tf.tidy(() => {
      const coefficient = (this.meanFactor * this.posteriorVariance) / this.sigma ** 2;
      const centered = tf.sub(x, tf.tensor1d(this.b));
      const mean = tf.mul(tf.sum(tf.mul(centered, tf.tensor1d(this.w)), -1, true), coefficient);
      const logVar = tf.fill(mean.shape, Math.log(this.posteriorVariance * this.varianceFactor));
      return [mean, logVar];
    });
    return new DiagonalNormal(loc as tf.Tensor, logVariance as tf.Tensor);
  }

  decode(z: tf.Tensor): Independent {
    const loc = tf.tidy(() =>
      tf.add(tf.matMul(z, tf.tensor2d([this.w], [1, 2])), tf.tensor1d(this.b)),
    );
    const scale = tf.fill(loc.shape, this.sigma);
    const p = new Independent(new Normal({ loc, scale, validateArgs: false }), 1);
    const dispose = p.dispose.bind(p);
    p.dispose = () => {
      dispose();
      tf.dispose([loc, scale]);
    };
    return p;
  }

  /** log p(x) in closed form (float64 on the host). */
  logMarginal(x: number[]): number {
    const [w0, w1] = this.w as [number, number];
    const s2 = this.sigma ** 2;
    const c = [
      [w0 * w0 + s2, w0 * w1],
      [w0 * w1, w1 * w1 + s2],
    ] as const;
    const det = c[0][0] * c[1][1] - c[0][1] * c[1][0];
    const d0 = x[0]! - this.b[0]!;
    const d1 = x[1]! - this.b[1]!;
    const quad = (c[1][1] * d0 * d0 - 2 * c[0][1] * d0 * d1 + c[0][0] * d1 * d1) / det;
    return -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * quad;
  }

  /** The ELBO in closed form for the encoder above. */
  elboClosedForm(x: number[]): { reconstruction: number; kl: number } {
    const m = this.meanFactor * this.posteriorMean(x);
    const v = this.posteriorVariance * this.varianceFactor;
    const s2 = this.sigma ** 2;
    let reconstruction = 0;
    for (let i = 0; i < 2; i++) {
      const r = x[i]! - this.w[i]! * m - this.b[i]!;
      reconstruction +=
        -0.5 * Math.log(2 * Math.PI * s2) - (r * r + this.w[i]! ** 2 * v) / (2 * s2);
    }
    return { reconstruction, kl: 0.5 * (v + m * m - 1 - Math.log(v)) };
  }

  dispose(): void {}
}
