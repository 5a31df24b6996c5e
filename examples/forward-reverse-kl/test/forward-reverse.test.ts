import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  forwardFit,
  klBothWays,
  mixtureLogProb,
  mixtureMoments,
  reverseFit,
  TWO_MODES,
} from '../src/forward-reverse.js';

describe('forward vs reverse KL on a two-mode mixture', () => {
  const moments = mixtureMoments(TWO_MODES);

  it('the mixture density integrates to 1 and has the closed-form moments', () => {
    const [mass, mean, second] = tf.tidy(() => {
      const x = tf.linspace(-10, 10, 4001);
      const density = tf.exp(mixtureLogProb(TWO_MODES, x));
      const dx = 20 / 4000;
      return [
        tf.sum(density).dataSync()[0]! * dx,
        tf.sum(tf.mul(density, x)).dataSync()[0]! * dx,
        tf.sum(tf.mul(density, tf.square(x))).dataSync()[0]! * dx,
      ];
    });
    expect(mass).toBeCloseTo(1, 4);
    expect(mean).toBeCloseTo(moments.mean, 3);
    expect(second! - mean! ** 2).toBeCloseTo(moments.variance, 2);
  });

  it('forward KL matches the mixture mean and variance (100k samples: within 0.03)', () => {
    const fit = forwardFit(TWO_MODES, { samples: 100_000, seed: 1 });
    expect(Math.abs(fit.loc - moments.mean)).toBeLessThan(0.03);
    expect(Math.abs(fit.scale - Math.sqrt(moments.variance))).toBeLessThan(0.03);
  });

  it('reverse KL sits on one mode with a smaller variance, and each fit wins its own KL', () => {
    const reverse = reverseFit(TWO_MODES, { seed: 2, steps: 400 });
    const forward = forwardFit(TWO_MODES, { samples: 100_000, seed: 1 });
    const nearest = TWO_MODES.locs.reduce(
      (best, loc, i) =>
        Math.abs(loc - reverse.loc) < Math.abs(TWO_MODES.locs[best]! - reverse.loc) ? i : best,
      0,
    );
    expect(Math.abs(reverse.loc - TWO_MODES.locs[nearest]!)).toBeLessThan(0.15);
    expect(Math.abs(reverse.scale - TWO_MODES.scales[nearest]!)).toBeLessThan(0.15);
    expect(reverse.scale).toBeLessThan(0.5 * forward.scale);
    // The objective went down.
    expect(reverse.history.at(-1)!).toBeLessThan(reverse.history[0]!);
    const klForwardFit = klBothWays(TWO_MODES, forward, { samples: 50_000, seed: 3 });
    const klReverseFit = klBothWays(TWO_MODES, reverse, { samples: 50_000, seed: 3 });
    expect(klForwardFit.forward).toBeLessThan(klReverseFit.forward);
    expect(klReverseFit.reverse).toBeLessThan(klForwardFit.reverse);
    for (const v of [klForwardFit, klReverseFit].flatMap((k) => [k.forward, k.reverse])) {
      expect(v).toBeGreaterThan(0);
    }
  });

  it('leaves no tensors behind', () => {
    reverseFit(TWO_MODES, { seed: 4, steps: 2 }); // warm-up: tfjs caches a few scalars once
    const before = tf.memory().numTensors;
    reverseFit(TWO_MODES, { seed: 4, steps: 5 });
    forwardFit(TWO_MODES, { samples: 1000, seed: 5 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
