// The one-pair cache of bijectors: exact inverses of forward outputs, logProb of samples without
// numerical inversion, its ownership rule (borrows, owns only a distribution's base draw), and
// its misses (disposed or reassigned tensors, cache: false).
import * as tf from '@tensorflow/tfjs-core';
import { tfSeed } from '@vae/divergence';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Exp, LogNormal, Normal, Sigmoid, TransformedDistribution } from '../src/index.js';

/** Exp that counts how often it really inverts. */
class CountingExp extends Exp {
  inversions = 0;
  protected override computeInverse(y: tf.Tensor): tf.Tensor {
    this.inversions++;
    return super.computeInverse(y);
  }
}

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('bijector cache', () => {
  it('inverse(forward(x)) returns a copy of x exactly, and forward(inverse(y)) one of y', async () => {
    await expectNoLeaks(() => {
      const sigmoid = new Sigmoid();
      const x = tf.tensor1d([40, -30, 0.1]); // sigmoid(40) rounds to 1 - 2^-24 in float32
      const y = sigmoid.forward(x);
      const back = sigmoid.inverse(y);
      expect(back).not.toBe(x);
      expect(values(back)).toEqual(values(x));
      const copy = y.clone(); // another tensor with the same values: a miss, inverted numerically
      const numeric = sigmoid.inverse(copy);
      expect(values(numeric)[0]).toBeLessThan(17);
      const z = tf.tensor1d([0.25, 0.5]);
      const logits = sigmoid.inverse(z);
      const again = sigmoid.forward(logits);
      expect(values(again)).toEqual(values(z));
      tf.dispose([x, y, back, copy, numeric, z, logits, again]);
    });
  });

  it('misses once either tensor of the pair is disposed, or the input variable reassigned', async () => {
    await expectNoLeaks(() => {
      const exp = new CountingExp();
      const x = tf.tensor1d([1, 2]);
      const y = exp.forward(x);
      x.dispose();
      const recomputed = exp.inverse(y);
      expect(exp.inversions).toBe(1);
      expectClose(recomputed, [1, 2], { rtol: 1e-6 });
      const initial = tf.tensor1d([0.5]);
      const v = tf.variable(initial);
      const fromVariable = exp.forward(v);
      const five = tf.tensor1d([5]);
      v.assign(five);
      const inverted = exp.inverse(fromVariable);
      expect(exp.inversions).toBe(2);
      expectClose(inverted, [0.5], { rtol: 1e-6 });
      tf.dispose([y, recomputed, initial, v, fromVariable, five, inverted]);
    });
  });

  it('cache: false always inverts; a call in the same direction recomputes', async () => {
    await expectNoLeaks(() => {
      const exp = new CountingExp({ cache: false });
      const y = exp.forward([0.5]);
      const x = exp.inverse(y);
      expect(exp.inversions).toBe(1);
      const cached = new CountingExp();
      const u = tf.tensor1d([2]);
      const first = cached.inverse(u);
      const second = cached.inverse(u);
      expect(cached.inversions).toBe(2);
      expect(values(first)).toEqual(values(second));
      tf.dispose([y, x, u, first, second]);
    });
  });

  it('gradients of a forward call stay connected after the pair was cached', async () => {
    await expectNoLeaks(() => {
      const exp = new Exp();
      const x = tf.tensor1d([0.5, -1]);
      const y = exp.forward(x);
      const grad = tf.grad((t: tf.Tensor) => tf.sum(exp.forward(t)))(x);
      expectClose(grad, values(y));
      tf.dispose([x, y, grad]);
    });
  });
});

describe('TransformedDistribution and the cache', () => {
  it('logProb of its own samples reads the base draw: no inversion, exact where inversion is not', async () => {
    await expectNoLeaks(() => {
      const counting = new CountingExp();
      const d = new TransformedDistribution(new Normal({ loc: 0, scale: 1 }), counting);
      for (const draw of [() => d.sample([5], 1), () => d.rsample([5], 2)]) {
        const y = draw();
        const logp = d.logProb(y);
        tf.dispose([y, logp]);
      }
      expect(counting.inversions).toBe(0);
      d.dispose();
      d.base.dispose();

      // Sigmoid(30 + eps) is 1 - 2^-24 in float32 for every draw: only the cache knows x.
      const base = new Normal({ loc: 30, scale: 1 });
      const saturated = new TransformedDistribution(base, new Sigmoid());
      const y = saturated.sample([4], 7);
      const logp = saturated.logProb(y);
      const x = base.sample([4], tfSeed(7)); // the same base draw, by the same seed
      const expected = tf.tidy(() =>
        tf.sub(base.logProb(x), saturated.bijector.forwardLogDetJacobian(x)),
      );
      expectClose(logp, expected);
      const copy = y.clone();
      const numeric = saturated.logProb(copy);
      expect(Math.abs(values(numeric)[0]! - values(expected)[0]!)).toBeGreaterThan(1);
      tf.dispose([y, logp, x, expected, copy, numeric]);
      saturated.dispose();
      base.dispose();
    });
  });

  it('holds one base draw per bijector until the next draw or dispose()', async () => {
    await expectNoLeaks(() => {
      const d = new LogNormal({ loc: [0, 1], scale: 1 });
      const before = tf.memory().numTensors;
      const first = d.sample([3], 1);
      expect(tf.memory().numTensors).toBe(before + 2); // the sample and the cached base draw
      first.dispose();
      const second = d.rsample([3], 2);
      const third = d.sample([3], 3);
      expect(tf.memory().numTensors).toBe(before + 3); // the older draws were released
      tf.dispose([second, third]);
      d.bijector.clearCache();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(d.sample([2], 4));
      d.dispose(); // frees the parameters and the draw (the leak check around this test)
    });
  });

  it('gradients flow through the cached draw (the pathwise gradient of logProb(rsample))', async () => {
    await expectNoLeaks(() => {
      // log q(exp(loc + s eps)) = log N(loc + s eps; loc, s) - (loc + s eps): d/dloc = -1 per draw.
      const loc = tf.tensor1d([0.3, -0.2]);
      const grad = tf.grad((l: tf.Tensor) => {
        const d = new LogNormal({ loc: l, scale: 0.5, validateArgs: false });
        const value = tf.sum(d.logProb(d.rsample([10], 4)));
        d.dispose();
        return value;
      })(loc);
      expectClose(grad, [-10, -10], { rtol: 1e-5 });
      tf.dispose([loc, grad]);
    });
  });
});
