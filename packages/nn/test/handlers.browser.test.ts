import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { loadVAE, mlpVAE, modelToArtifacts, type PriorChoice, saveModel } from '../src/index.js';

const PRIORS: PriorChoice[] = [
  'standard-normal',
  'diagonal',
  { kind: 'mixture', components: 2 },
  { kind: 'vamp', components: 2 },
];

function numbers(model: ReturnType<typeof mlpVAE>): number[] {
  return tf.tidy(() => {
    const x = tf.fill([2, 12], 0.5);
    return [...model.reconstruct(x).dataSync(), ...model.sample(2, { seed: 0 }).dataSync()];
  });
}

describe('models in the browser', () => {
  it.each(PRIORS.map((p) => [JSON.stringify(p), p] as const))(
    'a VAE with a %s prior saves to IndexedDB and loads back identically',
    async (name, prior) => {
      const model = mlpVAE({ inputShape: [12], hidden: [6], latentDim: 2, seed: 4, prior });
      const url = `indexeddb://vae-test-${name.replace(/\W/g, '')}`;
      await saveModel(model, url);
      const copy = await loadVAE(url);
      expect(numbers(copy)).toEqual(numbers(model));
      await tf.io.removeModel(url);
      model.dispose();
      copy.dispose();
    },
  );

  it('loads model.json + weights.bin over http (the layout vae train writes)', async () => {
    const model = mlpVAE({
      inputShape: [12],
      hidden: [6],
      latentDim: 2,
      seed: 5,
      prior: 'diagonal',
    });
    const artifacts = await modelToArtifacts(model);
    const files: Record<string, BodyInit> = {
      'https://example.test/run/model/model.json': JSON.stringify({
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      }),
      'https://example.test/run/model/weights.bin': artifacts.weightData as ArrayBuffer,
    };
    const requested: string[] = [];
    const fetchFunc = async (input: RequestInfo | URL) => {
      const url = String(input);
      requested.push(url);
      const body = files[url];
      return body === undefined ? new Response('missing', { status: 404 }) : new Response(body);
    };
    const copy = await loadVAE(
      tf.io.http('https://example.test/run/model/model.json', { fetchFunc }),
    );
    expect(requested).toEqual([
      'https://example.test/run/model/model.json',
      'https://example.test/run/model/weights.bin',
    ]);
    expect(numbers(copy)).toEqual(numbers(model));
    model.dispose();
    copy.dispose();
  });
});
