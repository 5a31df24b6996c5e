import * as tf from '@tensorflow/tfjs-core';
import {
  expectClose,
  expectNoLeaks,
  flatNumbers,
  numericGradient,
  torchReference,
} from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { klMultivariateNormal, matrixDiagPart, triangularSolve } from '../src/index.js';
import { choleskyF64, randomSpd, seededRandom, solveVectorF64 } from './linalg-reference.js';

function paramsOf(params: Record<string, unknown>): { loc: tf.Tensor; scaleTril: tf.Tensor } {
  const loc = params.loc as number[][];
  const tril = params.scale_tril as number[][][];
  return { loc: tf.tensor2d(loc), scaleTril: tf.tensor3d(tril) };
}

/** KL in float64 on the host, for one pair of [d] means and row-major [d, d] factors. */
function klF64(
  p: { loc: number[]; tril: Float64Array },
  q: { loc: number[]; tril: Float64Array },
): number {
  const d = p.loc.length;
  let trace = 0;
  for (let c = 0; c < d; c++) {
    const column = Array.from({ length: d }, (_, i) => p.tril[i * d + c]!);
    trace += solveVectorF64(q.tril, column, { n: d }).reduce((s, v) => s + v * v, 0);
  }
  const difference = q.loc.map((v, i) => v - p.loc[i]!);
  const mahalanobis = solveVectorF64(q.tril, difference, { n: d }).reduce((s, v) => s + v * v, 0);
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(q.tril[i * d + i]! / p.tril[i * d + i]!);
  return 0.5 * (trace + mahalanobis - d + logDet);
}

describe('klMultivariateNormal', () => {
  const reference = torchReference().kl.filter((c) => c.p.type === 'MultivariateNormal');

  it('matches torch.distributions (float64) at d = 5, batch 4', async () => {
    expect(reference.length).toBeGreaterThan(0);
    for (const c of reference) {
      const p = paramsOf(c.p.params);
      const q = paramsOf(c.q.params);
      await expectNoLeaks(() => {
        const kl = klMultivariateNormal(p, q);
        expectClose(kl, flatNumbers(c.kl), { rtol: 1e-4, atol: 1e-5 });
        return kl;
      });
      tf.dispose([p.loc, p.scaleTril, q.loc, q.scaleTril]);
    }
  });

  it('matches a float64 computation at d = 150 with several blocks', () => {
    const d = 150;
    const random = seededRandom(11);
    const p = {
      loc: Array.from({ length: d }, () => random()),
      tril: choleskyF64(randomSpd(d, { seed: 12 }), d),
    };
    const q = {
      loc: Array.from({ length: d }, () => random()),
      tril: choleskyF64(randomSpd(d, { seed: 13 }), d),
    };
    const toParams = (x: typeof p) => ({
      loc: tf.tensor1d(x.loc),
      scaleTril: tf.tensor2d(Float32Array.from(x.tril), [d, d]),
    });
    const tp = toParams(p);
    const tq = toParams(q);
    const kl = klMultivariateNormal(tp, tq, { blockSize: 64 });
    expectClose(kl, klF64(p, q), { rtol: 1e-4 });
    tf.dispose([kl, tp.loc, tp.scaleTril, tq.loc, tq.scaleTril]);
  });

  it('is zero for p = p and positive otherwise, and broadcasts batch axes', () => {
    const c = reference[0]!;
    const p = paramsOf(c.p.params);
    const q = paramsOf(c.q.params);
    const self = klMultivariateNormal(p, p);
    expectClose(self, [0, 0, 0, 0], { atol: 2e-5 });
    // One q against a batch of p: batch axes broadcast.
    const single = { loc: tf.zeros([5]), scaleTril: tf.eye(5) };
    const kl = klMultivariateNormal(p, single);
    expect(kl.shape).toEqual([4]);
    for (const v of kl.dataSync()) expect(v).toBeGreaterThan(0);
    tf.dispose([p.loc, p.scaleTril, q.loc, q.scaleTril, self, single.loc, single.scaleTril, kl]);
  });

  it('agrees with a Monte Carlo estimate from samples of p (seeded, 4 standard errors)', () => {
    const d = 3;
    const p = {
      loc: tf.tensor1d([0.5, -1, 0]),
      scaleTril: tf.tensor2d([
        [1, 0, 0],
        [0.5, 0.8, 0],
        [-0.3, 0.2, 1.2],
      ]),
    };
    const q = {
      loc: tf.tensor1d([0, 0, 1]),
      scaleTril: tf.tensor2d([
        [1.5, 0, 0],
        [0, 1, 0],
        [0.4, -0.2, 0.7],
      ]),
    };
    const n = 20000;
    const logDensity = (x: tf.Tensor, g: typeof p) => {
      const z = triangularSolve(g.scaleTril, tf.transpose(tf.sub(x, g.loc)));
      const logDet = tf.sum(tf.log(matrixDiagPart(g.scaleTril)));
      return tf.sub(
        tf.mul(-0.5, tf.sum(tf.square(z), 0)),
        tf.add(logDet, (d / 2) * Math.log(2 * Math.PI)),
      );
    };
    const [estimate, standardError] = tf.tidy(() => {
      const eps = tf.randomNormal([n, d], 0, 1, 'float32', 21);
      const x = tf.add(p.loc, tf.matMul(eps, p.scaleTril, false, true));
      const ratio = tf.sub(logDensity(x, p), logDensity(x, q));
      const { mean, variance } = tf.moments(ratio);
      return [mean.dataSync()[0]!, Math.sqrt(variance.dataSync()[0]! / n)];
    });
    const exact = tf.tidy(() => klMultivariateNormal(p, q).dataSync()[0]!);
    expect(Math.abs(estimate - exact)).toBeLessThan(4 * standardError);
    tf.dispose([p.loc, p.scaleTril, q.loc, q.scaleTril]);
  });

  it('has gradients that match finite differences', () => {
    const qLoc = tf.tensor1d([0.3, -0.2]);
    const qTril = tf.tensor2d([
      [1.1, 0],
      [0.2, 0.9],
    ]);
    const pTril = tf.tensor2d([
      [0.8, 0],
      [-0.3, 1.3],
    ]);
    const pLoc = tf.tensor1d([0, 0.5]);
    const byTril = (x: tf.Tensor) =>
      klMultivariateNormal(
        { loc: pLoc, scaleTril: pTril },
        { loc: qLoc, scaleTril: x },
      ) as tf.Scalar;
    const byLoc = (x: tf.Tensor) =>
      klMultivariateNormal(
        { loc: x, scaleTril: pTril },
        { loc: qLoc, scaleTril: qTril },
      ) as tf.Scalar;
    const gradTril = tf.grad(byTril)(qTril);
    const gradLoc = tf.grad(byLoc)(pLoc);
    const numericTril = numericGradient(byTril, qTril, 1e-3);
    numericTril[1] = 0; // the upper triangle is never read
    expectClose(gradTril, numericTril, { rtol: 1e-2, atol: 1e-3 });
    expectClose(gradLoc, numericGradient(byLoc, pLoc, 1e-3), { rtol: 1e-2, atol: 1e-3 });
    tf.dispose([qLoc, qTril, pTril, pLoc, gradTril, gradLoc]);
  });

  it('rejects mismatched shapes', () => {
    const a = { loc: tf.zeros([3]), scaleTril: tf.eye(3) };
    const b = { loc: tf.zeros([4]), scaleTril: tf.eye(4) };
    expect(() => klMultivariateNormal(a, b)).toThrow(/same event size, got 3 and 4/);
    expect(() => klMultivariateNormal(a, { loc: tf.zeros([3]), scaleTril: tf.eye(4) })).toThrow(
      /`q` must have loc/,
    );
    tf.dispose([a.loc, a.scaleTril, b.loc, b.scaleTril]);
  });
});
