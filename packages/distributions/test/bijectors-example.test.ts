// The worked example of the README's bijector section, with assertions: a trainable flow
// (an Affine on tf.Variables, then a Sigmoid) fitted by maximum likelihood recovers the
// parameters of the distribution that drew the data.
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  Affine,
  Beta,
  bijectTo,
  Chain,
  Independent,
  Normal,
  Sigmoid,
  TransformedDistribution,
} from '../src/index.js';

describe('README: bijectors and transformed distributions', () => {
  it('fits a trainable flow by maximum likelihood', async () => {
    await expectNoLeaks(() => {
      // A distribution on the unit square: a correlated Gaussian pushed through a sigmoid.
      const base = new Independent(new Normal({ loc: [0, 0], scale: [1, 1] }), 1);
      const affine = new Affine({
        shift: [0.5, -0.5],
        scaleTril: [
          [1, 0],
          [0.8, 0.6],
        ],
      });
      const target = new TransformedDistribution(base, new Chain([affine, new Sigmoid()]));
      expect([target.batchShape, target.eventShape]).toEqual([[], [2]]);
      const data = target.sample([1000], 42); // [1000, 2] in (0, 1)^2
      const logp = target.logProb(data); // [1000], from the cached base draw: no inversion

      // Maximum likelihood for a trainable flow: Affine reads its tf.Variables at each call.
      const initial = [tf.zeros([2]), tf.eye(2)];
      const shift = tf.variable(initial[0]!);
      const scaleTril = tf.variable(initial[1]!);
      const flow = new TransformedDistribution(
        base,
        new Chain([new Affine({ shift, scaleTril, validateArgs: false }), new Sigmoid()]),
        { validateArgs: false },
      );
      const optimizer = tf.train.adam(0.1);
      for (let step = 0; step < 150; step++) {
        optimizer.minimize(() => tf.neg(tf.mean(flow.logProb(data))) as tf.Scalar);
      }
      const lower = tf.tidy(() =>
        tf.mul(
          scaleTril,
          tf.tensor2d([
            [1, 0],
            [1, 1],
          ]),
        ),
      );
      expectClose(shift, [0.5, -0.5], { atol: 0.05 });
      expectClose(lower, [1, 0, 0.8, 0.6], { atol: 0.05 });
      const fitted = tf.tidy(() => tf.mean(flow.logProb(data)).dataSync()[0]!);
      const truth = tf.tidy(() => tf.mean(logp).dataSync()[0]!);
      // The maximum-likelihood fit explains its data at least as well as the truth, and not much
      // better (1000 points, 5 parameters).
      expect(fitted).toBeGreaterThan(truth - 1e-3);
      expect(fitted - truth).toBeLessThan(0.01);

      // bijectTo: from unconstrained space onto a support.
      const beta = new Beta({ concentration1: 2, concentration0: 5 });
      const toUnit = bijectTo(beta.support); // Sigmoid
      const inside = toUnit.forward([-3, 0, 3]); // in (0, 1), where beta.logProb is finite
      const betaLogp = beta.logProb(inside);
      for (const value of betaLogp.dataSync()) expect(Number.isFinite(value)).toBe(true);

      optimizer.dispose();
      tf.dispose([data, logp, ...initial, shift, scaleTril, lower, inside, betaLogp]);
      for (const d of [target, flow, base.base, affine, beta, toUnit]) d.dispose();
    });
  });
});
