import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Categorical, Independent, klDivergence, MixtureSameFamily, Normal } from '../src/index.js';
import { expectVaeError, values } from './gamma-family-support.js';
import { checkSampleMoments } from './helpers/properties.js';

function normalLogPdf(x: number, loc: number, scale: number): number {
  return -0.5 * ((x - loc) / scale) ** 2 - Math.log(scale) - 0.5 * Math.log(2 * Math.PI);
}

function logSumExp(values: number[]): number {
  const max = Math.max(...values);
  return max + Math.log(values.reduce((sum, v) => sum + Math.exp(v - max), 0));
}

describe('MixtureSameFamily', () => {
  it('logProb equals a hand logsumexp over the components', () => {
    const weights = [0.2, 0.5, 0.3];
    const locs = [-2, 0.5, 3];
    const scales = [0.5, 1, 2];
    const mixture = new Categorical({ probs: weights });
    const components = new Normal({ loc: locs, scale: scales });
    const d = new MixtureSameFamily({ mixture, components });
    expect(d.batchShape).toEqual([]);
    expect(d.eventShape).toEqual([]);
    const xs = [-3, -1.2, 0, 0.7, 4, 12];
    const logp = d.logProb(xs);
    const expected = xs.map((x) =>
      logSumExp(weights.map((w, k) => Math.log(w) + normalLogPdf(x, locs[k]!, scales[k]!))),
    );
    expectClose(logp, expected, { rtol: 1e-5, atol: 1e-5 });
    logp.dispose();
    d.dispose();
    mixture.dispose();
    components.dispose();
  });

  it('is batched, works with vector events (Independent components) and samples with the right moments', async () => {
    await expectNoLeaks(() => {
      // batch [2], K = 3 components, event [2]
      const mixture = new Categorical({
        logits: [
          [0, 1, 2],
          [2, 0, -1],
        ],
      });
      const loc = tf.tensor3d([
        [
          [-2, 0],
          [0, 2],
          [3, 3],
        ],
        [
          [1, 1],
          [-1, -1],
          [0, 5],
        ],
      ]);
      const base = new Normal({ loc, scale: 0.5 });
      const components = new Independent(base, 1);
      const d = new MixtureSameFamily({ mixture, components });
      expect(d.batchShape).toEqual([2]);
      expect(d.eventShape).toEqual([2]);
      const x = d.sample([5], 1);
      expect(x.shape).toEqual([5, 2, 2]);
      const logp = d.logProb(x);
      expect(logp.shape).toEqual([5, 2]);
      checkSampleMoments(d, { n: 20000, atol: 1e-3 });
      // logProb of a vector event: logsumexp_k (log w_k + sum_d log N(x_d))
      const point = [0.3, -0.4];
      const lp = d.logProb([point, point]);
      const w = [
        [0, 1, 2],
        [2, 0, -1],
      ].map((row) => row.map((v) => v - logSumExp(row)));
      const locs = loc.arraySync() as number[][][];
      const expected = [0, 1].map((b) =>
        logSumExp(
          [0, 1, 2].map(
            (k) =>
              w[b]![k]! +
              normalLogPdf(point[0]!, locs[b]![k]![0]!, 0.5) +
              normalLogPdf(point[1]!, locs[b]![k]![1]!, 0.5),
          ),
        ),
      );
      expectClose(lp, expected, { rtol: 1e-5, atol: 1e-5 });
      tf.dispose([x, logp, lp, loc]);
      d.dispose();
      mixture.dispose();
      components.dispose();
      base.dispose();
    });
  });

  it('has mean and variance from the law of total variance', () => {
    const mixture = new Categorical({ probs: [0.25, 0.75] });
    const components = new Normal({ loc: [-1, 3], scale: [1, 2] });
    const d = new MixtureSameFamily({ mixture, components });
    const mean = d.mean();
    const variance = d.variance();
    const m = 0.25 * -1 + 0.75 * 3;
    expectClose(mean, [m]);
    expectClose(variance, [0.25 * 1 + 0.75 * 4 + 0.25 * (-1 - m) ** 2 + 0.75 * (3 - m) ** 2]);
    tf.dispose([mean, variance]);
    d.dispose();
    mixture.dispose();
    components.dispose();
  });

  it('logProb is differentiable in the component and mixture parameters', () => {
    const loc = tf.tensor1d([-1, 2]);
    const logits = tf.tensor1d([0.3, -0.2]);
    const f = (l: tf.Tensor, w: tf.Tensor) =>
      tf.tidy(() => {
        const d = new MixtureSameFamily({
          mixture: new Categorical({ logits: w }),
          components: new Normal({ loc: l, scale: 1 }),
        });
        return tf.sum(d.logProb([0.5, 1.5])) as tf.Scalar;
      });
    const [gl, gw] = tf.grads((l: tf.Tensor, w: tf.Tensor) => f(l, w))([loc, logits]);
    expectClose(
      gl!,
      numericGradient((l) => f(l, logits), loc, 1e-3),
      { rtol: 3e-3, atol: 3e-3 },
    );
    expectClose(
      gw!,
      numericGradient((w) => f(loc, w), logits, 1e-3),
      { rtol: 3e-3, atol: 3e-3 },
    );
    expectClose(
      tf.tidy(() => values(tf.sum(gw!))),
      [0],
      { atol: 1e-5 },
    ); // logits gradients of a softmax sum to 0
    tf.dispose([loc, logits, gl!, gw!]);
  });

  it('rejects mismatched arguments and has no closed-form KL', () => {
    const mixture = new Categorical({ probs: [0.5, 0.5] });
    const three = new Normal({ loc: [0, 1, 2], scale: 1 });
    expectVaeError(
      () => new MixtureSameFamily({ mixture, components: three }),
      'INVALID_ARGUMENT',
      /MixtureSameFamily: `mixture` \(batch \[\], 2 categories\) does not match `components`/,
    );
    const two = new Normal({ loc: [0, 1], scale: 1 });
    const d = new MixtureSameFamily({ mixture, components: two });
    expectVaeError(() => klDivergence(d, d), 'KL_NOT_REGISTERED', /klMonteCarlo/);
    expect(d.hasRsample).toBe(true); // Normal components have a cdf: see mixture-same-family-rsample
    for (const x of [d, mixture, three, two]) x.dispose();
  });
});
