import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { DiscretizedLogistic } from '../src/index.js';
import { expectVaeError, values } from './gamma-family-support.js';
import { checkSampleMoments } from './helpers/properties.js';

const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));

interface Logistic {
  loc: number;
  scale: number;
  bins?: number;
}

/** float64 mass of level k on [0, 1], as a difference of CDFs on the side where it is accurate. */
function mass(k: number, { loc, scale, bins = 256 }: Logistic): number {
  const h = 0.5 / (bins - 1);
  const x = k / (bins - 1);
  const a = k === bins - 1 ? Infinity : (x + h - loc) / scale;
  const b = k === 0 ? -Infinity : (x - h - loc) / scale;
  // Right of loc the survival function 1 - sigmoid(t) = sigmoid(-t) keeps its digits.
  return x > loc ? sigmoid(-b) - sigmoid(-a) : sigmoid(a) - sigmoid(b);
}

describe('DiscretizedLogistic', () => {
  it('masses over all 256 levels sum to 1, with the tails at 0 and 255', () => {
    const d = new DiscretizedLogistic({
      loc: [0.5, -1, 2, 0.02],
      scale: [0.1, 0.05, 0.2, 0.001],
    });
    const levels = tf.tidy(() => tf.reshape(tf.div(tf.range(0, 256, 1, 'float32'), 255), [256, 1]));
    const total = tf.tidy(() => tf.sum(tf.exp(d.logProb(levels)), 0));
    expectClose(total, [1, 1, 1, 1], { atol: 2e-5 });
    // loc far below 0 puts (nearly) all mass on level 0; far above 1, on level 255.
    const edges = d.logProb([[0, 0, 1, 0]]);
    expect(values(edges)[1]).toBeGreaterThan(-1e-6);
    expect(values(edges)[2]).toBeGreaterThan(Math.log(0.9));
    tf.dispose([levels, total, edges]);
    d.dispose();
  });

  it('logProb matches float64 differences of the logistic CDF, including tiny masses', () => {
    const locs = [0.5, 0.1, 0.9, 0.3];
    const scales = [0.1, 0.02, 0.3, 0.005];
    const ks = [0, 13, 128, 200, 255];
    const d = new DiscretizedLogistic({ loc: locs, scale: scales });
    const x = ks.map((k) => locs.map(() => k / 255));
    const logp = d.logProb(x);
    const expected = ks.flatMap((k) =>
      locs.map((loc, i) => Math.log(mass(k, { loc, scale: scales[i]! }))),
    );
    // Far tails (down to e^-100 here) stay finite and accurate in float32: the stable form never
    // subtracts two CDFs.
    expect(values(logp).every(Number.isFinite)).toBe(true);
    expectClose(logp, expected, { rtol: 1e-4, atol: 1e-4 });
    logp.dispose();
    d.dispose();
  });

  it('supports other bit depths (bins = 4: values 0, 1/3, 2/3, 1)', () => {
    const d = new DiscretizedLogistic({ loc: 0.4, scale: 0.3, bins: 4 });
    const logp = d.logProb([0, 1 / 3, 2 / 3, 1]);
    expectClose(
      logp,
      [0, 1, 2, 3].map((k) => Math.log(mass(k, { loc: 0.4, scale: 0.3, bins: 4 }))),
      { atol: 1e-5 },
    );
    const mean = d.mean();
    const expectedMean = [0, 1, 2, 3].reduce(
      (sum, k) => sum + (k / 3) * mass(k, { loc: 0.4, scale: 0.3, bins: 4 }),
      0,
    );
    expectClose(mean, [expectedMean], { atol: 1e-6 });
    tf.dispose([logp, mean]);
    d.dispose();
  });

  it('samples levels with the right mean and variance', async () => {
    await expectNoLeaks(() => {
      const locs = [0.502, 0.05, 0.97];
      const scales = [0.1, 0.1, 0.02];
      const d = new DiscretizedLogistic({ loc: locs, scale: scales });
      checkSampleMoments(d, { atol: 1e-4 });
      const x = d.sample([100], 3);
      expect(values(x).every((v) => Math.abs(v * 255 - Math.round(v * 255)) < 1e-3)).toBe(true);
      const mode = d.mode();
      // The mode by brute force: for loc 0.97, scale 0.02 the right tail makes level 255 the mode.
      const expectedMode = locs.map((loc, i) => {
        const masses = Array.from({ length: 256 }, (_, k) => mass(k, { loc, scale: scales[i]! }));
        return masses.indexOf(Math.max(...masses)) / 255;
      });
      expect(expectedMode[2]).toBe(1);
      expectClose(mode, expectedMode, { atol: 1e-6 });
      tf.dispose([x, mode]);
      d.dispose();
    });
  });

  it('logProb gradients in loc and scale match finite differences, at the edges too', () => {
    const loc = tf.tensor1d([0.45, 0.02, 0.97]);
    const scale = tf.tensor1d([0.1, 0.05, 0.04]);
    const x = [100 / 255, 0, 1];
    const f = (l: tf.Tensor, s: tf.Tensor) =>
      tf.tidy(() => tf.sum(new DiscretizedLogistic({ loc: l, scale: s }).logProb(x)) as tf.Scalar);
    const [gl, gs] = tf.grads((l: tf.Tensor, s: tf.Tensor) => f(l, s))([loc, scale]);
    expectClose(
      gl!,
      numericGradient((l) => f(l, scale), loc, 1e-3),
      { rtol: 5e-3, atol: 5e-3 },
    );
    expectClose(
      gs!,
      numericGradient((s) => f(loc, s), scale, 1e-3),
      { rtol: 5e-3, atol: 5e-3 },
    );
    tf.dispose([loc, scale, gl!, gs!]);
  });

  it('rejects bad arguments and values off the grid', () => {
    expectVaeError(
      () => new DiscretizedLogistic({ loc: 0.5, scale: 0 }),
      'INVALID_ARGUMENT',
      /DiscretizedLogistic: `scale` must be positive/,
    );
    expectVaeError(
      () => new DiscretizedLogistic({ loc: 0.5, scale: 1, bins: 1 }),
      'INVALID_ARGUMENT',
      /DiscretizedLogistic: `bins` must be an integer >= 2, got 1/,
    );
    const d = new DiscretizedLogistic({ loc: 0.5, scale: 0.1 });
    expectVaeError(
      () => d.logProb([0.5001]),
      'INVALID_ARGUMENT',
      /DiscretizedLogistic\.logProb: `value` must be an intensity k \/ 255/,
    );
    expectVaeError(() => d.logProb([255]), 'INVALID_ARGUMENT', /DiscretizedLogistic\.logProb/);
    d.dispose();
  });
});
