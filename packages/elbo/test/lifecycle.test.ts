// A model's whole life on one backend, in one file: it trains, saves, loads and
// samples. `pnpm test` runs it in Node on cpu and wasm and, as the quick WebGL
// check (`test:webgl`), in Chromium on webgl; the full browser suites run in CI.
import * as tf from '@tensorflow/tfjs-core';
import { loadVAE, mlpVAE, saveModel, type VAE } from '@vae/nn';
import { expectNoLeaks, memorySink } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { elbo, natsPerExample, negativeElboLoss } from '../src/index.js';
import { twoPrototypes } from './two-prototypes.js';

const values = (tensor: tf.Tensor) => Array.from(tensor.dataSync());

describe(`a VAE's life on the test backend`, () => {
  it('trains (the ELBO rises), saves, loads to the same outputs and samples by seed', async () => {
    const model = mlpVAE({ inputShape: [8], hidden: [16], latentDim: 2, seed: 3 });
    const data = twoPrototypes();
    const negativeElbo = () =>
      tf.tidy(
        () => natsPerExample(elbo(model, data, { samples: 20, seed: 5 }).elbo).dataSync()[0]!,
      );
    const before = negativeElbo();
    const optimizer = tf.train.adam(1e-2);
    const step = () =>
      optimizer.minimize(() => negativeElboLoss(model, data), true, model.trainableVariables);
    step()?.dispose(); // creates the optimizer's slots
    await expectNoLeaks(() => step()?.dispose());
    for (let i = 0; i < 200; i++) step()?.dispose();
    const after = negativeElbo();
    expect(before).toBeGreaterThan(4.5);
    expect(after).toBeLessThan(before - 1.5);

    const sink = memorySink();
    await saveModel(model, sink.handler);
    const copy = await loadVAE(tf.io.fromMemory(sink.saved()));
    tf.tidy(() => {
      expect(values(copy.reconstruct(data))).toEqual(values(model.reconstruct(data)));
      const draw = (vae: VAE, seed: number) => values(vae.sample(6, { seed }));
      expect(draw(copy, 0)).toEqual(draw(model, 0));
      expect(draw(model, 0)).toEqual(draw(model, 0));
      expect(draw(model, 1)).not.toEqual(draw(model, 0));
      const probabilities = draw(model, 0);
      expect(probabilities.every((p) => p >= 0 && p <= 1)).toBe(true);
    });
    optimizer.dispose();
    copy.dispose();
    model.dispose();
    data.dispose();
  });
});
