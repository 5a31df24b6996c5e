import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { klDivergence, LowRankMultivariateNormal, MultivariateNormal } from '../src/index.js';
import { expectVaeError } from './gamma-family-support.js';
import {
  checkEntropyMonteCarlo,
  checkKlBasics,
  checkKlMonteCarlo,
  checkRsampleGradient,
  checkSampleMoments,
  checkSeeds,
} from './helpers/properties.js';
import {
  checkKlCaseWith,
  checkReferenceCase,
  checkReferenceGradients,
  discreteCase,
  discreteKlCase,
  type Factory,
} from './helpers/reference.js';

const lowRank = (p: Record<string, tf.Tensor>) =>
  new LowRankMultivariateNormal({ loc: p.loc!, covFactor: p.cov_factor!, covDiag: p.cov_diag! });
const full = (p: Record<string, tf.Tensor>) =>
  new MultivariateNormal({ loc: p.loc!, scaleTril: p.scale_tril! });

function example(): LowRankMultivariateNormal {
  return new LowRankMultivariateNormal({
    loc: [
      [0.5, -1, 2],
      [0, 0.3, -0.4],
    ],
    covFactor: [
      [1, 0],
      [0.5, -0.7],
      [-0.3, 0.4],
    ], // shared by both batch members
    covDiag: [
      [0.5, 0.2, 1],
      [1, 1, 0.3],
    ],
  });
}

/**
 * KL(N(0, W W^T + D) || N(shift 1, scale^2 I)) in float64 on the host: the trace is
 * sum W^2 + sum D and log det(W W^T + D) = log det(I + W^T D^-1 W) + sum log D.
 */
function float64Kl(
  covFactor: tf.Tensor,
  covDiag: tf.Tensor,
  q: { shift: number; scale: number },
): number {
  const [d, r] = covFactor.shape as [number, number];
  const w = covFactor.dataSync();
  const diag = covDiag.dataSync();
  const c = Array.from({ length: r * r }, (_, k) => (Math.floor(k / r) === k % r ? 1 : 0));
  let trace = 0;
  let logDiag = 0;
  for (let i = 0; i < d; i++) {
    trace += diag[i]!;
    logDiag += Math.log(diag[i]!);
    for (let a = 0; a < r; a++) {
      trace += w[i * r + a]! ** 2;
      for (let b = 0; b < r; b++) c[a * r + b]! += (w[i * r + a]! * w[i * r + b]!) / diag[i]!;
    }
  }
  let logDetC = 0; // Cholesky of the r x r capacitance in float64
  const l = new Array<number>(r * r).fill(0);
  for (let j = 0; j < r; j++) {
    let pivot = c[j * r + j]!;
    for (let k = 0; k < j; k++) pivot -= l[j * r + k]! ** 2;
    l[j * r + j] = Math.sqrt(pivot);
    logDetC += Math.log(pivot);
    for (let i = j + 1; i < r; i++) {
      let sum = c[i * r + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * r + k]! * l[j * r + k]!;
      l[i * r + j] = sum / l[j * r + j]!;
    }
  }
  const variance = q.scale ** 2;
  const logDetQ = d * Math.log(variance);
  return 0.5 * (trace / variance + (d * q.shift ** 2) / variance - d + logDetQ - logDetC - logDiag);
}

describe('LowRankMultivariateNormal', () => {
  it('matches torch: log_prob, mean, variance, entropy and gradients of log_prob', async () => {
    const c = discreteCase('LowRankMultivariateNormal');
    const tolerance = { rtol: 1e-4, atol: 1e-4 };
    const fields = await checkReferenceCase(c, lowRank, { tolerance });
    expect(fields).toEqual(['log_prob', 'mean', 'variance', 'entropy']);
    const names = await checkReferenceGradients(c, lowRank, { rtol: 2e-3, atol: 2e-4 });
    expect(names).toEqual(['loc', 'cov_factor', 'cov_diag']);
  });

  it('matches torch KL with LowRank and MultivariateNormal in both directions', async () => {
    const tolerance = { rtol: 2e-4, atol: 1e-4 };
    const pairs: [string, string, Factory, Factory][] = [
      ['LowRankMultivariateNormal', 'LowRankMultivariateNormal', lowRank, lowRank],
      ['MultivariateNormal', 'LowRankMultivariateNormal', full, lowRank],
      ['LowRankMultivariateNormal', 'MultivariateNormal', lowRank, full],
    ];
    for (const [pType, qType, p, q] of pairs) {
      await checkKlCaseWith(discreteKlCase(pType, qType), { p, q, tolerance });
    }
  });

  it('agrees with MultivariateNormal of the same covariance (matrices, logProb, entropy, KL)', async () => {
    await expectNoLeaks(() => {
      const d = example();
      const covariance = d.covarianceMatrix();
      const mvn = new MultivariateNormal({ loc: d.loc, covarianceMatrix: covariance });
      const x = tf.tensor2d([
        [0.3, -0.2, 1],
        [2, 0.1, -1],
      ]);
      const results = [d.logProb(x), mvn.logProb(x), d.entropy(), mvn.entropy()];
      expectClose(results[0]!, results[1]!, { rtol: 1e-5, atol: 1e-5 });
      expectClose(results[2]!, results[3]!, { rtol: 1e-5, atol: 1e-5 });
      const precision = d.precisionMatrix();
      const tril = d.scaleTril();
      const identity = tf.matMul(precision, covariance);
      const rebuilt = tf.matMul(tril, tril, false, true);
      const eye = tf.tidy(() => tf.tile(tf.expandDims(tf.eye(3), 0), [2, 1, 1]));
      expectClose(identity, eye, { atol: 1e-5 });
      expectClose(rebuilt, covariance, { rtol: 1e-5, atol: 1e-6 });
      const klSelf = klDivergence(d, mvn);
      const klBack = klDivergence(mvn, d);
      expectClose(klSelf, [0, 0], { atol: 2e-5 });
      expectClose(klBack, [0, 0], { atol: 2e-5 });
      mvn.dispose();
      d.dispose();
      return [...results, covariance, x, precision, tril, identity, eye, rebuilt, klSelf, klBack];
    });
  });

  it('has analytic KL (all three pairs) and entropy equal to their Monte Carlo estimates', async () => {
    await expectNoLeaks(() => {
      const p = example();
      const unbatched = new LowRankMultivariateNormal({
        loc: [0, 0, 0],
        covFactor: [[0.2], [1], [-0.5]],
        covDiag: [1, 0.5, 2],
      });
      const unbatchedFull = new MultivariateNormal({
        loc: [0.2, -0.3, 0.5],
        scaleTril: [
          [1, 0, 0],
          [0.4, 0.8, 0],
          [-0.2, 0.3, 1.2],
        ],
      });
      // Batch [2] like p, so draws of either side broadcast against the other.
      const q = unbatched.expand([2]);
      const m = unbatchedFull.expand([2]);
      for (const [a, b] of [
        [p, q],
        [q, p],
        [p, m],
        [m, p],
      ] as const) {
        checkKlBasics(a, b);
        checkKlMonteCarlo(a, b, { atol: 1e-3 });
      }
      checkEntropyMonteCarlo(p);
      checkSampleMoments(p, { atol: 1e-3 });
      checkSeeds(p, { reparameterized: true });
      for (const d of [p, q, m, unbatched, unbatchedFull]) d.dispose();
    });
  });

  it('rsample gradients match finite differences in loc, covFactor and covDiag', () => {
    const loc = tf.tensor1d([0.5, -1, 0.3]);
    const covFactor = tf.tensor2d([
      [1, 0.2],
      [0.5, -0.7],
      [-0.3, 0.4],
    ]);
    const covDiag = tf.tensor1d([0.5, 0.2, 1]);
    checkRsampleGradient((l) => new LowRankMultivariateNormal({ loc: l, covFactor, covDiag }), loc);
    checkRsampleGradient(
      (w) => new LowRankMultivariateNormal({ loc, covFactor: w, covDiag }),
      covFactor,
    );
    checkRsampleGradient(
      (v) => new LowRankMultivariateNormal({ loc, covFactor, covDiag: v }),
      covDiag,
    );
    tf.dispose([loc, covFactor, covDiag]);
  });

  it('handles d = 600 with rank 3 through the capacitance matrix, matching the full-covariance normal', async () => {
    await expectNoLeaks(() => {
      const d = 600;
      const covFactor = tf.tidy(() => tf.mul(tf.randomNormal([d, 3], 0, 1, 'float32', 0.25), 0.3));
      const covDiag = tf.tidy(() => tf.add(tf.randomUniform([d], 0, 1, 'float32', 0.5), 0.5));
      const loc = tf.zeros([d]);
      const lr = new LowRankMultivariateNormal({ loc, covFactor, covDiag, validateArgs: false });
      expect(lr.capacitanceTril.shape).toEqual([3, 3]);
      const covariance = lr.covarianceMatrix();
      const mvn = new MultivariateNormal({
        loc,
        covarianceMatrix: covariance,
        validateArgs: false,
      });
      const x = lr.sample([4], 3);
      const [a, b] = [lr.logProb(x), mvn.logProb(x)];
      expectClose(a, b, { rtol: 1e-4, atol: 1e-2 });
      // KL to N(0.1, 1.69 I) against float64 (about 90 nats; within 1e-5 relative on cpu and wasm).
      const scaleTril = tf.tidy(() => tf.mul(tf.eye(d), 1.3));
      const shifted = tf.fill([d], 0.1);
      const other = new MultivariateNormal({ loc: shifted, scaleTril, validateArgs: false });
      const kl = klDivergence(lr, other);
      expectClose(kl, [float64Kl(covFactor, covDiag, { shift: 0.1, scale: 1.3 })], { rtol: 2e-5 });
      for (const dist of [mvn, lr, other]) dist.dispose();
      return [covFactor, covDiag, loc, covariance, x, a, b, scaleTril, shifted, kl];
    });
  });

  it('rejects shapes that disagree on d and a non-positive covDiag', () => {
    expectVaeError(
      () =>
        new LowRankMultivariateNormal({ loc: [0, 0], covFactor: [[1], [1], [1]], covDiag: [1, 1] }),
      'INVALID_ARGUMENT',
      /LowRankMultivariateNormal: `covFactor` must be \[\.\.\.batch, 2, r\]/,
    );
    expectVaeError(
      () => new LowRankMultivariateNormal({ loc: [0, 0], covFactor: [[1], [1]], covDiag: [1, 0] }),
      'INVALID_ARGUMENT',
      /LowRankMultivariateNormal: `covDiag` must be positive/,
    );
    expectVaeError(
      () =>
        new LowRankMultivariateNormal({
          loc: [
            [0, 0],
            [0, 0],
          ],
          covFactor: [
            [[1], [1]],
            [[1], [1]],
            [[1], [1]],
          ],
          covDiag: [1, 1],
        }),
      'INVALID_ARGUMENT',
      /do not broadcast/,
    );
  });
});
