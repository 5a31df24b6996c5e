import * as tf from '@tensorflow/tfjs-core';
import { type Distribution, Independent, Normal } from '@vae/distributions';
import { mlpVAE, Prior, VAE } from '@vae/nn';
import { expectClose } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { elbo, negativeElboLoss, VaeError } from '../src/index.js';

/** N(+5, I): a prior far from N(0, I), whose KL is large. */
class ShiftedPrior extends Prior {
  constructor(latentDim: number) {
    super(latentDim, 'ShiftedPrior');
  }
  distribution(): Distribution {
    const loc = tf.fill([this.latentDim], 5);
    const scale = tf.ones([this.latentDim]);
    const base = new Normal({ loc, scale, validateArgs: false });
    const p = new Independent(base, 1, { validateArgs: false });
    const dispose = p.dispose.bind(p);
    p.dispose = () => {
      dispose();
      base.dispose();
      tf.dispose([loc, scale]);
    };
    return p;
  }
}

function withPrior(prior: Prior): VAE {
  const base = mlpVAE({ inputShape: [6], hidden: [5], latentDim: 3, seed: 1 });
  const model = new VAE({ encoder: base.encoder, decoder: base.decoder, prior });
  base.prior.dispose();
  return model;
}

const x = () => tf.randomUniform([4, 6], 0, 1, 'float32', 3);

describe('the KL term dispatches through the registry, never a flag', () => {
  it('a prior centred at +5 gets its own KL (closed form = Monte Carlo), not the N(0, I) value', () => {
    const model = withPrior(new ShiftedPrior(3));
    const data = x();
    const analytic = elbo(model, data, { kl: 'analytic', seed: 1 });
    const auto = elbo(model, data, { seed: 1 });
    const montecarlo = elbo(model, data, { kl: 'montecarlo', samples: 20000, seed: 2 });
    // KL to N(+5, I) of a posterior near N(0, I) is about 3 * 25 / 2 = 37.5 nats.
    const kl = analytic.kl.dataSync();
    for (const value of kl) expect(value).toBeGreaterThan(30);
    expectClose(auto.kl, analytic.kl, { rtol: 0, atol: 0 });
    expectClose(montecarlo.kl, analytic.kl, { rtol: 0.02, atol: 0.05 });
    tf.dispose([data, ...[analytic, auto, montecarlo].flatMap((terms) => Object.values(terms))]);
    model.dispose();
  });

  it('a prior with no registered KL gets Monte Carlo by default and a typed error when analytic is asked', () => {
    const model = mlpVAE({
      inputShape: [6],
      hidden: [5],
      latentDim: 3,
      seed: 1,
      prior: { kind: 'mixture', components: 4 },
    });
    const data = x();
    const auto = elbo(model, data, { samples: 4, seed: 1 });
    const montecarlo = elbo(model, data, { kl: 'montecarlo', samples: 4, seed: 1 });
    expectClose(auto.kl, montecarlo.kl, { rtol: 0, atol: 0 });
    let error: unknown;
    try {
      elbo(model, data, { kl: 'analytic' });
    } catch (caught) {
      error = caught;
    }
    expect(VaeError.isInstance(error) && error.code).toBe('KL_NOT_REGISTERED');
    expect((error as Error).message).toMatch(/KL\(DiagonalNormal \|\| MixtureSameFamily\)/);
    const loss = negativeElboLoss(model, data, { seed: 1 });
    expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
    tf.dispose([data, loss, ...Object.values(auto), ...Object.values(montecarlo)]);
    model.dispose();
  });

  it('free bits need per-dimension Gaussian KLs and say so otherwise', () => {
    const model = mlpVAE({
      inputShape: [6],
      hidden: [5],
      latentDim: 3,
      seed: 1,
      prior: { kind: 'mixture', components: 4 },
    });
    const data = x();
    expect(() => elbo(model, data, { freeBits: 0.5 })).toThrowError(
      /`freeBits` needs a KL per latent dimension/,
    );
    const standard = mlpVAE({ inputShape: [6], hidden: [5], latentDim: 3, seed: 1 });
    const free = elbo(standard, data, { freeBits: 10, seed: 1 });
    // With lambda = 10 nats per dimension the penalty is at least 30 > KL.
    const plain = elbo(standard, data, { seed: 1 });
    const gap = tf.sub(plain.elbo, free.elbo).dataSync();
    for (const g of gap) expect(g).toBeGreaterThan(0);
    tf.dispose([data, ...Object.values(free), ...Object.values(plain)]);
    model.dispose();
    standard.dispose();
  });
});
