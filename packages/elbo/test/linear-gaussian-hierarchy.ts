import * as tf from '@tensorflow/tfjs-core';
import {
  GaussianDecoder,
  GaussianEncoder,
  HierarchicalEncoder,
  HierarchicalPrior,
  Linear,
  Narrow,
  Sequential,
  StandardNormalPrior,
  VAE,
} from '@vae/nn';

const LOG_2PI = Math.log(2 * Math.PI);

/** Encoder parameters: q(z1 | x) = N(alpha . x + beta, v1), q(z2 | z1) = N(gamma z1 + delta, v2). */
export interface PosteriorParameters {
  alpha: [number, number];
  beta: number;
  v1: number;
  gamma: number;
  delta: number;
  v2: number;
}

/**
 * A two-stochastic-layer linear-Gaussian VAE built from the real `@vae/nn`
 * components with hand-set weights: z2 ~ N(0, 1), z1 | z2 ~ N(a z2 + c, s1),
 * x | z1 ~ N(w z1 + b, sigma^2 I) in two dimensions. Then log p(x), the exact
 * posterior (which q(z1 | x) q(z2 | z1) can represent) and the ELBO of any
 * linear-Gaussian encoder have closed forms (float64, on the host).
 */
export class LinearGaussianHierarchy {
  readonly a = 1.3;
  readonly c = 0.4;
  readonly s1 = 0.5; // variance of z1 | z2
  readonly w: [number, number] = [1.5, -0.7];
  readonly b: [number, number] = [0.3, -0.2];
  readonly sigma = 0.6;

  /** The exact posterior's parameters. */
  exact(): PosteriorParameters {
    const { a, c, s1, w, b, sigma } = this;
    const tau = a * a + s1;
    const s2 = sigma * sigma;
    const v1 = 1 / (1 / tau + (w[0] ** 2 + w[1] ** 2) / s2);
    const v2 = 1 / (1 + (a * a) / s1);
    const gamma = (v2 * a) / s1;
    return {
      alpha: [(v1 * w[0]) / s2, (v1 * w[1]) / s2],
      beta: v1 * (c / tau - (w[0] * b[0] + w[1] * b[1]) / s2),
      v1,
      gamma,
      delta: -gamma * c,
      v2,
    };
  }

  /** A deliberately poor encoder. */
  rough(): PosteriorParameters {
    const e = this.exact();
    return {
      alpha: [0.6 * e.alpha[0], 0.6 * e.alpha[1]],
      beta: e.beta + 0.2,
      v1: 2.5 * e.v1,
      gamma: 0.5 * e.gamma,
      delta: e.delta - 0.3,
      v2: 1.8 * e.v2,
    };
  }

  /** The VAE with these posterior parameters: z = [z1, z2], x [batch, 2]. */
  model(q: PosteriorParameters): VAE {
    const { a, c, s1, w, b, sigma } = this;
    return new VAE({
      encoder: new HierarchicalEncoder({
        bottom: gaussian({ inFeatures: 2, loc: [q.alpha, q.beta], variance: q.v1 }),
        top: gaussian({ inFeatures: 1, loc: [[q.gamma], q.delta], variance: q.v2 }),
      }),
      prior: new HierarchicalPrior({
        top: new StandardNormalPrior({ latentDim: 1 }),
        conditional: gaussian({ inFeatures: 1, loc: [[a], c], variance: s1 }),
      }),
      decoder: new GaussianDecoder({
        body: new Sequential([
          new Narrow({ start: 0, length: 1 }),
          linear({ inFeatures: 1, outFeatures: 2, weight: [w], bias: b }),
        ]),
        eventShape: [2],
        variance: sigma * sigma,
      }),
    });
  }

  /** log p(x) in closed form: x ~ N(w c + b, (a^2 + s1) w w^T + sigma^2 I). */
  logMarginal(x: [number, number]): number {
    const { a, c, s1, w, b, sigma } = this;
    const tau = a * a + s1;
    const s2 = sigma * sigma;
    const cov = [
      [tau * w[0] * w[0] + s2, tau * w[0] * w[1]],
      [tau * w[0] * w[1], tau * w[1] * w[1] + s2],
    ] as const;
    const det = cov[0][0] * cov[1][1] - cov[0][1] * cov[1][0];
    const d0 = x[0] - w[0] * c - b[0];
    const d1 = x[1] - w[1] * c - b[1];
    const quad = (cov[1][1] * d0 * d0 - 2 * cov[0][1] * d0 * d1 + cov[0][0] * d1 * d1) / det;
    return -LOG_2PI - 0.5 * Math.log(det) - 0.5 * quad;
  }

  /**
   * The ELBO's terms in closed form for encoder `q`: reconstruction
   * E_q[log p(x | z1)] and KL = E_q[log q(z1 | x) + log q(z2 | z1) - log p(z1 | z2) - log p(z2)].
   */
  elboClosedForm(
    x: [number, number],
    q: PosteriorParameters,
  ): { reconstruction: number; kl: number } {
    const { a, c, s1, w, b, sigma } = this;
    const s2 = sigma * sigma;
    const m1 = q.alpha[0] * x[0] + q.alpha[1] * x[1] + q.beta;
    const m2 = q.gamma * m1 + q.delta; // E z2
    const var2 = q.gamma ** 2 * q.v1 + q.v2; // Var z2
    const cov12 = q.gamma * q.v1;
    let reconstruction = 0;
    for (let i = 0; i < 2; i++) {
      const r = x[i]! - w[i]! * m1 - b[i]!;
      reconstruction += -0.5 * Math.log(2 * Math.PI * s2) - (r * r + w[i]! ** 2 * q.v1) / (2 * s2);
    }
    // E (z1 - a z2 - c)^2 = (E[z1 - a z2 - c])^2 + Var(z1 - a z2).
    const meanResidual = m1 - a * m2 - c;
    const varResidual = q.v1 + a * a * var2 - 2 * a * cov12;
    const logConditional =
      -0.5 * Math.log(2 * Math.PI * s1) - (meanResidual ** 2 + varResidual) / (2 * s1);
    const logTop = -0.5 * LOG_2PI - 0.5 * (m2 * m2 + var2);
    const entropy = 0.5 * (LOG_2PI + Math.log(q.v1) + 1) + 0.5 * (LOG_2PI + Math.log(q.v2) + 1);
    return { reconstruction, kl: -entropy - logConditional - logTop };
  }
}

/** A linear layer with given weights [in][out] and bias [out]. */
function linear(options: {
  inFeatures: number;
  outFeatures: number;
  weight: number[][];
  bias: number[];
}): Linear {
  const layer = new Linear({
    inFeatures: options.inFeatures,
    outFeatures: options.outFeatures,
    seed: 0,
  });
  tf.tidy(() => {
    layer.weight.assign(tf.tensor2d(options.weight));
    layer.bias!.assign(tf.tensor1d(options.bias));
  });
  return layer;
}

/** N(loc(h), variance) from input h [n, inFeatures]: an identity body, a linear loc head, a constant log-variance. */
function gaussian(options: {
  inFeatures: number;
  loc: [number[], number];
  variance: number;
}): GaussianEncoder {
  const n = options.inFeatures;
  const identity = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
  const encoder = new GaussianEncoder({
    body: linear({ inFeatures: n, outFeatures: n, weight: identity, bias: new Array(n).fill(0) }),
    features: n,
    latentDim: 1,
    seed: 0,
  });
  const [weights, bias] = options.loc;
  tf.tidy(() => {
    encoder.locHead.weight.assign(tf.tensor2d(weights.map((v) => [v])));
    encoder.locHead.bias!.assign(tf.tensor1d([bias]));
    encoder.logVarianceHead.weight.assign(tf.zeros([n, 1]));
    encoder.logVarianceHead.bias!.assign(tf.tensor1d([Math.log(options.variance)]));
  });
  return encoder;
}
