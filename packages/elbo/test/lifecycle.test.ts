// A model's whole life on one backend, in one file: it trains, saves, loads and
// samples. `pnpm test` runs it in Node on cpu and wasm and, as the quick WebGL
// check (`test:webgl`), in Chromium on webgl; the full browser suites run in CI.
import * as tf from '@tensorflow/tfjs-core';
import { loadVAE, mlpVAE, saveModel, type VAE } from '@vae/nn';
import { expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { elbo, natsPerExample, negativeElboLoss } from '../src/index.js';

/** 64 binary vectors of 8 pixels: two prototypes, 5% of the pixels flipped (seeded). */
function twoPrototypes(): tf.Tensor2D {
  return tf.tidy(() => {
    const prototypes = tf.tensor2d([
      [1, 1, 1, 1, 0, 0, 0, 0],
      [0, 0, 1, 1, 1, 1, 0, 1],
    ]);
    const which = tf.cast(tf.greater(tf.randomUniform([64], 0, 1, 'float32', 1), 0.5), 'int32');
    const flip = tf.cast(tf.less(tf.randomUniform([64, 8], 0, 1, 'float32', 2), 0.05), 'float32');
    return tf.abs(tf.sub(tf.gather(prototypes, which), flip)) as tf.Tensor2D;
  });
}

async function saveToMemory(model: VAE): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await saveModel(
    model,
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}

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
    // Coin flips cost 8 ln 2 = 5.5 nats; two prototypes need about ln 2 plus the noise.
    expect(before).toBeGreaterThan(4.5);
    expect(after).toBeLessThan(before - 1.5);

    const copy = await loadVAE(tf.io.fromMemory(await saveToMemory(model)));
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
