import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createDataSource } from '@vae/data';
import { loadMnist } from '@vae/data/node';
import { hasKL } from '@vae/distributions';
import {
  FlowDistribution,
  loadVAE,
  type MlpVaeOptions,
  mlpVAE,
  type PriorChoice,
  saveModel,
  type VAE,
  VaeError,
} from '@vae/nn';
import { fileHandler } from '@vae/nn/node';
import { fit } from '@vae/trainer';
import { describe, expect, it } from 'vitest';
import { elbo, iwae } from '../src/index.js';
import { evaluateModel } from './fixtures/evaluate-model.js';

/** The training loss: -mean ELBO with one posterior draw (`elbo` keeps the draw, so a flow posterior's log q(z) costs no inverse). */
function lossOf(model: VAE) {
  return (x: tf.Tensor, { seed }: { seed: number }) =>
    tf.neg(tf.mean(elbo(model, x, { seed }).elbo)) as tf.Scalar;
}

/** Mean ELBO in nats per example, 10 draws per example, fixed seed. */
function meanElbo(model: VAE, x: tf.Tensor): number {
  return tf.tidy(() => tf.mean(elbo(model, x, { samples: 10, seed: 3 }).elbo).dataSync()[0]!);
}

describe('a VAE with an IAF posterior on MNIST', () => {
  it('trains through fit, saves, loads, and beats the same VAE without the flow', async () => {
    // 2,000 training digits binarized afresh for every batch, 500 test digits binarized once.
    const train = await loadMnist({ split: 'train', limit: 2000 });
    const test = await loadMnist({ split: 'test', limit: 500 });
    const source = createDataSource(train, { binarize: 'dynamic', seed: 1, shape: [784] });
    const testSource = createDataSource(test, { binarize: 'dynamic', seed: 2, shape: [784] });
    const xTest = testSource.getBatch(Array.from({ length: 500 }, (_, i) => i)) as tf.Tensor2D;
    // The same seed: the Gaussian parts start with the same weights.
    const options: MlpVaeOptions = { inputShape: [784], hidden: [100], latentDim: 8, seed: 1 };
    const plain = mlpVAE(options);
    const flow = mlpVAE({ ...options, posterior: { kind: 'iaf', layers: 2, hidden: [32] } });
    for (const model of [plain, flow]) {
      // 3 epochs of 20 batches: 60 Adam steps each.
      await fit(model, source, {
        loss: lossOf(model),
        epochs: 3,
        batchSize: 100,
        seed: 0,
        learningRate: 2e-3,
      });
    }
    const folder = await mkdtemp(join(tmpdir(), 'vae-iaf-'));
    await saveModel(flow, fileHandler(folder));
    const loaded = await loadVAE(fileHandler(folder));
    const plainElbo = meanElbo(plain, xTest);
    const flowElbo = meanElbo(flow, xTest);
    const loadedElbo = meanElbo(loaded, xTest);
    // Measured (cpu and wasm): -210.4 without the flow, -202.7 with it.
    expect(loadedElbo).toBe(flowElbo);
    expect(flowElbo).toBeGreaterThan(plainElbo + 4);
    // The flow's bound is a bound: below the importance-weighted one (k = 50), which is
    // itself below log p(x).
    const [bound, tighter] = tf.tidy(() => {
      const x = tf.slice(xTest, [0, 0], [100, 784]);
      return [
        tf.mean(elbo(flow, x, { samples: 50, seed: 4 }).elbo).dataSync()[0]!,
        tf.mean(iwae(flow, x, { k: 50, seed: 4 })).dataSync()[0]!,
      ];
    });
    expect(bound).toBeLessThan(tighter);
    tf.dispose(xTest);
    for (const model of [plain, flow, loaded]) model.dispose();
  }, 300_000);
});

const CASES: [string, Pick<MlpVaeOptions, 'posterior' | 'prior'>][] = [
  ['a MAF prior', { prior: { kind: 'flow', layers: 2, hidden: [8] } }],
  ['a RealNVP prior', { prior: { kind: 'flow', flow: 'realnvp', layers: 2, hidden: [8] } }],
  [
    'an IAF posterior and a MAF prior',
    {
      posterior: { kind: 'iaf', layers: 2, hidden: [8] },
      prior: { kind: 'flow', layers: 1, hidden: [8] } as PriorChoice,
    },
  ],
];

describe.each(CASES)('a VAE with %s', (_, flows) => {
  it('trains through fit, saves to a file and loads with a bit-identical ELBO', async () => {
    const model = mlpVAE({ inputShape: [16], hidden: [8], latentDim: 2, seed: 1, ...flows });
    const before = evaluateModel(model);
    const x = tf.tidy(() =>
      tf.cast(tf.greater(tf.randomUniform([24, 16], 0, 1, 'float32', 3), 0.5), 'float32'),
    );
    await fit(model, x, {
      loss: lossOf(model),
      epochs: 2,
      batchSize: 8,
      seed: 0,
      learningRate: 0.01,
    });
    x.dispose();
    const here = evaluateModel(model);
    expect(here.elbo).not.toEqual(before.elbo); // it trained
    expect(here.elbo.every(Number.isFinite)).toBe(true);
    const folder = await mkdtemp(join(tmpdir(), 'vae-flow-'));
    await saveModel(model, fileHandler(folder));
    const copy = await loadVAE(fileHandler(folder));
    expect(evaluateModel(copy)).toEqual(here);
    copy.dispose();
    model.dispose();
  });
});

describe('the KL of a flow posterior or prior', () => {
  it('has no closed form: kl "auto" is the Monte Carlo estimate, "analytic" says so', () => {
    const model = mlpVAE({
      inputShape: [16],
      hidden: [8],
      latentDim: 2,
      seed: 2,
      posterior: { kind: 'iaf', layers: 1, hidden: [8] },
      prior: { kind: 'flow', layers: 1, hidden: [8] },
    });
    const plainPrior = mlpVAE({ inputShape: [16], hidden: [8], latentDim: 2, seed: 2 });
    tf.tidy(() => {
      const x = tf.cast(tf.greater(tf.randomUniform([5, 16], 0, 1, 'float32', 1), 0.5), 'float32');
      const q = model.encode(x);
      expect(q).toBeInstanceOf(FlowDistribution);
      const prior = model.priorDistribution();
      const standard = plainPrior.priorDistribution();
      expect(hasKL(q, prior)).toBe(false);
      expect(hasKL(q, standard)).toBe(false);
      expect(hasKL(plainPrior.encode(x), prior)).toBe(false);
      const auto = elbo(model, x, { seed: 7, samples: 3 });
      const monteCarlo = elbo(model, x, { seed: 7, samples: 3, kl: 'montecarlo' });
      expect(Array.from(auto.kl.dataSync())).toEqual(Array.from(monteCarlo.kl.dataSync()));
      try {
        elbo(model, x, { seed: 7, kl: 'analytic' });
        expect.fail('expected KL_NOT_REGISTERED');
      } catch (error) {
        expect(VaeError.isInstance(error) && error.code).toBe('KL_NOT_REGISTERED');
      }
      for (const d of [q, prior, standard]) d.dispose();
    });
    model.dispose();
    plainPrior.dispose();
  });
});
