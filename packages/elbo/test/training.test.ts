import * as tf from '@tensorflow/tfjs-core';
import { mlpVAE } from '@vae/nn';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  activeUnits,
  bitsPerDim,
  constantBeta,
  cyclical,
  elbo,
  linearWarmup,
  natsPerExample,
  negativeElboLoss,
} from '../src/index.js';
import { twoPrototypes } from './two-prototypes.js';

describe('training an MLP VAE on synthetic data', () => {
  it('a few hundred Adam steps raise the ELBO, leak nothing and keep units active', async () => {
    const model = mlpVAE({ inputShape: [8], hidden: [16], latentDim: 2, seed: 3 });
    const data = twoPrototypes();
    const optimizer = tf.train.adam(1e-2);
    const evaluate = () =>
      tf.tidy(
        () => natsPerExample(elbo(model, data, { samples: 20, seed: 5 }).elbo).dataSync()[0]!,
      );
    const before = evaluate();
    const step = (i: number) => {
      const cost = optimizer.minimize(
        () => negativeElboLoss(model, data, { beta: linearWarmup({ steps: 100 })(i) }),
        true,
        model.trainableVariables,
      );
      return cost;
    };
    for (let i = 0; i < 5; i++) step(i)?.dispose(); // creates the optimizer's slots
    const cost = await expectNoLeaks(() => step(5));
    expect(cost?.isDisposed).toBe(true);
    for (let i = 6; i < 300; i++) step(i)?.dispose();
    const after = evaluate();
    // Before: about 8 ln 2 = 5.5 nats (coin flips); the two prototypes need about ln 2 + noise.
    expect(before).toBeGreaterThan(4.5);
    expect(after).toBeLessThan(before - 2);
    const { count, variances } = await expectNoLeaks(() => activeUnits(model, data));
    expect(variances).toHaveLength(2);
    expect(count).toBeGreaterThanOrEqual(1);
    optimizer.dispose();
    data.dispose();
    model.dispose();
  });
});

describe('schedules', () => {
  it('linearWarmup ramps then holds', () => {
    const beta = linearWarmup({ steps: 100, start: 0.2, end: 1 });
    expectClose([beta(0), beta(50), beta(100), beta(1000)], [0.2, 0.6, 1, 1]);
  });

  it('cyclical restarts every period and holds after the last cycle', () => {
    const beta = cyclical({ period: 100, rampFraction: 0.5, cycles: 2, max: 2 });
    expect([beta(0), beta(25), beta(50), beta(99), beta(100), beta(125), beta(250)]).toEqual([
      0, 1, 2, 2, 0, 1, 2,
    ]);
    expect(() => cyclical({ period: 0 })).toThrow(/`period` must be positive/);
  });

  it('constantBeta', () => {
    expect(constantBeta(4)(123)).toBe(4);
  });
});

describe('metrics', () => {
  it('natsPerExample and bitsPerDim', async () => {
    const values = tf.tensor1d([-100, -120]);
    await expectNoLeaks(() => [natsPerExample(values), bitsPerDim(values, 784)]);
    tf.tidy(() => {
      expectClose(natsPerExample(values), [110]);
      expectClose(bitsPerDim(values, 784), [110 / (784 * Math.LN2)]);
    });
    values.dispose();
  });
});
