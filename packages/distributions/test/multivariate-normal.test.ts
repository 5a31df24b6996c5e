import * as tf from '@tensorflow/tfjs-core';
import {
  expectClose,
  expectNoLeaks,
  flatNumbers,
  numericGradient,
  torchReference,
} from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { klDivergence, MultivariateNormal, VaeError } from '../src/index.js';

type Params = Record<string, unknown>;
const reference = torchReference();
const distributionCase = reference.distributions.find((c) => c.type === 'MultivariateNormal')!;
const klCases = reference.kl.filter((c) => c.p.type === 'MultivariateNormal');

function fromTorch(params: Params, form: 'scaleTril' | 'covarianceMatrix'): MultivariateNormal {
  const loc = params.loc as number[][];
  return form === 'scaleTril'
    ? new MultivariateNormal({ loc, scaleTril: params.scale_tril as number[][][] })
    : new MultivariateNormal({ loc, covarianceMatrix: params.covariance_matrix as number[][][] });
}

/** A seeded uniform generator (mulberry32). */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Float64 reference: SPD matrix, its Cholesky factor and Gaussian log densities. */
function float64Gaussian(d: number, seed: number) {
  const random = seededRandom(seed);
  const b = Array.from({ length: d * d }, () => random() * 2 - 1);
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = 0; k < d; k++) sum += b[i * d + k]! * b[j * d + k]!;
      cov[i * d + j] = sum / d + (i === j ? 0.3 : 0);
      cov[j * d + i] = cov[i * d + j]!;
    }
  }
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let pivot = cov[j * d + j]!;
    for (let k = 0; k < j; k++) pivot -= l[j * d + k]! ** 2;
    l[j * d + j] = Math.sqrt(pivot);
    for (let i = j + 1; i < d; i++) {
      let sum = cov[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * d + k]! * l[j * d + k]!;
      l[i * d + j] = sum / l[j * d + j]!;
    }
  }
  const loc = Array.from({ length: d }, () => random() - 0.5);
  let logDiag = 0;
  for (let i = 0; i < d; i++) logDiag += Math.log(l[i * d + i]!);
  const logProb = (x: number[]) => {
    const z = x.map((v, i) => v - loc[i]!);
    for (let i = 0; i < d; i++) {
      for (let k = 0; k < i; k++) z[i]! -= l[i * d + k]! * z[k]!;
      z[i]! /= l[i * d + i]!;
    }
    return -0.5 * z.reduce((s, v) => s + v * v, 0) - logDiag - 0.5 * d * Math.log(2 * Math.PI);
  };
  const entropy = 0.5 * d * (1 + Math.log(2 * Math.PI)) + logDiag;
  return { cov, l, loc, logProb, entropy, random };
}

describe('MultivariateNormal against torch.distributions (float64), d = 5, batch [4]', () => {
  const x = distributionCase.x!;
  for (const form of ['scaleTril', 'covarianceMatrix'] as const) {
    it(`matches logProb, entropy, mean and variance from ${form}`, async () => {
      await expectNoLeaks(() => {
        const mvn = fromTorch(distributionCase.params, form);
        expect(mvn.batchShape).toEqual([4]);
        expect(mvn.eventShape).toEqual([5]);
        const logProb = mvn.logProb(x as number[][][]);
        expect(logProb.shape).toEqual([3, 4]);
        expectClose(logProb, flatNumbers(distributionCase.log_prob!), { rtol: 1e-4, atol: 1e-4 });
        const results = [logProb, mvn.entropy(), mvn.mean(), mvn.variance()];
        expectClose(results[1]!, flatNumbers(distributionCase.entropy!), { rtol: 1e-5 });
        expectClose(results[2]!, flatNumbers(distributionCase.mean!));
        expectClose(results[3]!, flatNumbers(distributionCase.variance!), { rtol: 1e-5 });
        mvn.dispose();
        return results;
      });
    });
  }

  it('gives the torch KL through klDivergence', async () => {
    for (const c of klCases) {
      await expectNoLeaks(() => {
        const p = fromTorch(c.p.params, 'scaleTril');
        const q = fromTorch(c.q.params, 'covarianceMatrix');
        const kl = klDivergence(p, q);
        expectClose(kl, flatNumbers(c.kl), { rtol: 1e-4, atol: 1e-5 });
        const self = klDivergence(p, p);
        expectClose(self, [0, 0, 0, 0], { atol: 2e-5 });
        p.dispose();
        q.dispose();
        return [kl, self];
      });
    }
  });
});

describe('MultivariateNormal at d = 300 (several Cholesky blocks) against float64', () => {
  const d = 300;
  const g = float64Gaussian(d, 3);
  const points = Array.from({ length: 4 }, () => g.loc.map((m) => m + (g.random() - 0.5) * 2));

  it('matches logProb and entropy from a covariance and from its factor', async () => {
    const expected = points.map(g.logProb);
    for (const form of ['covarianceMatrix', 'scaleTril'] as const) {
      await expectNoLeaks(() => {
        const matrix = tf.tensor2d(Float32Array.from(form === 'scaleTril' ? g.l : g.cov), [d, d]);
        const mvn =
          form === 'scaleTril'
            ? new MultivariateNormal({ loc: g.loc, scaleTril: matrix, blockSize: 64 })
            : new MultivariateNormal({ loc: g.loc, covarianceMatrix: matrix, blockSize: 64 });
        const logProb = mvn.logProb(points);
        const entropy = mvn.entropy();
        expectClose(logProb, expected, { rtol: 1e-4 });
        expectClose(entropy, g.entropy, { rtol: 1e-5 });
        mvn.dispose();
        matrix.dispose();
        return [logProb, entropy];
      });
    }
  });
});

describe('MultivariateNormal sampling', () => {
  const loc = [1, -2, 0.5];
  const scaleTril = [
    [1, 0, 0],
    [0.6, 0.8, 0],
    [-0.5, 0.3, 0.4],
  ];

  it('draws [...sample, ...batch, d] with the right mean and covariance (20k draws, seeded)', () => {
    const mvn = new MultivariateNormal({ loc, scaleTril });
    const x = mvn.sample([20000], 5);
    expect(x.shape).toEqual([20000, 3]);
    const { mean, covariance } = tf.tidy(() => {
      const m = tf.mean(x, 0);
      const c = tf.div(tf.matMul(tf.transpose(tf.sub(x, m)), tf.sub(x, m)), 20000);
      return { mean: m, covariance: c };
    });
    const expectedCov = mvn.covarianceMatrix();
    // Standard errors are about sqrt(var / n) < 0.01; allow 0.04.
    expectClose(mean, loc, { atol: 0.04, rtol: 0 });
    expectClose(covariance, expectedCov, { atol: 0.04, rtol: 0 });
    tf.dispose([x, mean, covariance, expectedCov]);
    mvn.dispose();
  });

  it('samples a batch of scales and repeats with a seed', () => {
    const mvn = fromTorch(distributionCase.params, 'scaleTril');
    const a = mvn.sample([2, 3], 9);
    const b = mvn.sample([2, 3], 9);
    expect(a.shape).toEqual([2, 3, 4, 5]);
    expectClose(a, b, { rtol: 0, atol: 0 });
    tf.dispose([a, b]);
    mvn.dispose();
  });

  it('rsample has gradients loc + L eps (finite differences)', () => {
    const weights = tf.tensor2d([
      [1, -2, 0.5],
      [0.3, 1, 2],
    ]);
    const locT = tf.tensor1d(loc);
    const trilT = tf.tensor2d(scaleTril);
    const byTril = (l: tf.Tensor) =>
      tf.tidy(() => {
        const mvn = new MultivariateNormal({ loc: locT, scaleTril: l, validateArgs: false });
        return tf.sum(tf.mul(weights, mvn.rsample([2], 11))) as tf.Scalar;
      });
    const byLoc = (m: tf.Tensor) =>
      tf.tidy(() => {
        const mvn = new MultivariateNormal({ loc: m, scaleTril: trilT, validateArgs: false });
        return tf.sum(tf.mul(weights, mvn.rsample([2], 11))) as tf.Scalar;
      });
    const gradTril = tf.grad(byTril)(trilT);
    const gradLoc = tf.grad(byLoc)(locT);
    const numericTril = numericGradient(byTril, trilT, 1e-2);
    expectClose(gradTril, numericTril, { rtol: 1e-3, atol: 1e-3 });
    expectClose(gradLoc, numericGradient(byLoc, locT, 1e-2), { rtol: 1e-3, atol: 1e-3 });
    tf.dispose([weights, locT, trilT, gradTril, gradLoc]);
  });

  it('logProb has gradients in the scale factor (finite differences)', () => {
    const trilT = tf.tensor2d(scaleTril);
    const x = tf.tensor2d([
      [0.5, -1.5, 1],
      [2, -2, 0],
    ]);
    const f = (l: tf.Tensor) =>
      tf.tidy(() => {
        const mvn = new MultivariateNormal({ loc, scaleTril: l, validateArgs: false });
        return tf.sum(mvn.logProb(x)) as tf.Scalar;
      });
    const grad = tf.grad(f)(trilT);
    const numeric = numericGradient(f, trilT, 1e-3).map((v, i) =>
      i % 3 > Math.floor(i / 3) ? 0 : v,
    );
    expectClose(grad, numeric, { rtol: 5e-3, atol: 5e-3 });
    tf.dispose([trilT, x, grad]);
  });

  it('closed-form KL agrees with a Monte Carlo estimate (seeded, 4 standard errors)', () => {
    const p = new MultivariateNormal({ loc, scaleTril });
    const q = new MultivariateNormal({
      loc: [0, 0, 0],
      covarianceMatrix: [
        [2, 0.3, 0],
        [0.3, 1, -0.2],
        [0, -0.2, 0.5],
      ],
    });
    const n = 20000;
    const [estimate, standardError] = tf.tidy(() => {
      const x = p.sample([n], 13);
      const ratio = tf.sub(p.logProb(x), q.logProb(x));
      const { mean, variance } = tf.moments(ratio);
      return [mean.dataSync()[0]!, Math.sqrt(variance.dataSync()[0]! / n)];
    });
    const exact = tf.tidy(() => klDivergence(p, q).dataSync()[0]!);
    expect(exact).toBeGreaterThan(0);
    expect(Math.abs(estimate! - exact)).toBeLessThan(4 * standardError!);
    p.dispose();
    q.dispose();
  });
});

describe('MultivariateNormal validation', () => {
  function codeOf(fn: () => unknown): string | undefined {
    try {
      fn();
    } catch (error) {
      return VaeError.isInstance(error) ? `${error.code}: ${error.message}` : String(error);
    }
    return undefined;
  }

  it('reports a covariance that is not positive definite, and jitter fixes a singular one', async () => {
    await expectNoLeaks(() => {
      const message = codeOf(
        () =>
          new MultivariateNormal({
            loc: [0, 0],
            covarianceMatrix: [
              [1, 2],
              [2, 1],
            ],
          }),
      );
      expect(message).toMatch(/^NOT_POSITIVE_DEFINITE: .*pivot 1 of 2.*jitter/);
      const singular = [
        [1, 1],
        [1, 1],
      ];
      expect(
        codeOf(() => new MultivariateNormal({ loc: [0, 0], covarianceMatrix: singular })),
      ).toMatch(/NOT_POSITIVE_DEFINITE/);
      const fixed = new MultivariateNormal({
        loc: [0, 0],
        covarianceMatrix: singular,
        jitter: 1e-2,
      });
      const variance = fixed.variance();
      expectClose(variance, [1.01, 1.01]);
      fixed.dispose();
      return variance;
    });
  });

  it.each([
    [{ loc: [0, 0] }, /exactly one of/],
    [
      {
        loc: [0, 0],
        scaleTril: [
          [1, 0],
          [0, 1],
        ],
        covarianceMatrix: [
          [1, 0],
          [0, 1],
        ],
      },
      /exactly one/,
    ],
    [
      {
        loc: [0, 0],
        scaleTril: [
          [1, 0.5],
          [0, 1],
        ],
      },
      /lower triangular/,
    ],
    [
      {
        loc: [0, 0],
        scaleTril: [
          [1, 0],
          [0.5, -1],
        ],
      },
      /positive diagonal, got .* min -1/,
    ],
    [
      {
        loc: [0, 0],
        covarianceMatrix: [
          [1, 0.5],
          [0.2, 1],
        ],
      },
      /symmetric/,
    ],
    [
      {
        loc: [0, 0, 0],
        scaleTril: [
          [1, 0],
          [0, 1],
        ],
      },
      /disagree on d/,
    ],
    [{ loc: [0, 0], scaleTril: [1, 1] }, /\[\.\.\.batch, d, d\]/],
    [
      {
        loc: [0, Number.NaN],
        scaleTril: [
          [1, 0],
          [0, 1],
        ],
      },
      /`loc` must be finite/,
    ],
    [
      {
        loc: [0, 0],
        scaleTril: [
          [1, 0],
          [0, 1],
        ],
        jitter: 0.1,
      },
      /jitter/,
    ],
  ])('rejects bad parameters %#', async (options, pattern) => {
    await expectNoLeaks(() => {
      const message = codeOf(() => new MultivariateNormal(options as never));
      expect(message).toMatch(/^INVALID_ARGUMENT/);
      expect(message).toMatch(pattern);
    });
  });
});
