import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { convVAE, mlpVAE, type PriorChoice, saveModel, type VAE } from '@vae/nn';
import { fileHandler } from '@vae/nn/node';
import { fit } from '@vae/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { negativeElboLoss } from '../src/index.js';
import { evaluateModel } from './fixtures/evaluate-model.js';

const PRIORS: [string, PriorChoice][] = [
  ['N(0, I)', 'standard-normal'],
  ['diagonal', 'diagonal'],
  ['mixture', { kind: 'mixture', components: 3 }],
  ['VampPrior', { kind: 'vamp', components: 2 }],
];

const PRESETS: [string, (prior: PriorChoice) => VAE][] = [
  ['mlp', (prior) => mlpVAE({ inputShape: [16], hidden: [8], latentDim: 2, seed: 1, prior })],
  [
    'conv',
    (prior) =>
      convVAE({ inputShape: [8, 8, 1], channels: [2, 3], hidden: 6, latentDim: 2, seed: 1, prior }),
  ],
];

const fixture = fileURLToPath(new URL('./fixtures/evaluate-saved-model.ts', import.meta.url));

/** Trains `model` a few steps through `fit` on fixed binary data shaped like its inputs. */
async function trainFewSteps(model: VAE): Promise<void> {
  const x = tf.tidy(() =>
    tf.cast(
      tf.greater(tf.randomUniform([24, ...model.dataShape], 0, 1, 'float32', 3), 0.5),
      'float32',
    ),
  );
  await fit(model, x, {
    loss: (batch, { seed }) => negativeElboLoss(model, batch, { seed }),
    epochs: 1,
    batchSize: 8,
    seed: 0,
    learningRate: 0.01,
  });
  x.dispose();
}

const CASES = PRESETS.flatMap(([preset, build]) =>
  PRIORS.map(([prior, choice]) => ({
    name: `${preset} with a ${prior} prior`,
    build: () => build(choice),
  })),
);

type Numbers = ReturnType<typeof evaluateModel>;
const here: Numbers[] = [];
let there: Numbers[] = [];
const changed: boolean[] = [];

describe('every preset with every prior', () => {
  beforeAll(async () => {
    const root = await mkdtemp(join(tmpdir(), 'vae-round-trip-'));
    const folders: string[] = [];
    for (const [i, { build }] of CASES.entries()) {
      const model = build();
      const before = JSON.stringify(
        model.namedParameters().map(([, v]) => Array.from(v.dataSync())),
      );
      await trainFewSteps(model);
      const after = JSON.stringify(
        model.namedParameters().map(([, v]) => Array.from(v.dataSync())),
      );
      changed.push(after !== before);
      const folder = join(root, String(i));
      await saveModel(model, fileHandler(folder));
      folders.push(folder);
      here.push(evaluateModel(model));
      model.dispose();
    }
    // One fresh process loads every model: a new process, no shared state.
    const child = spawnSync(
      process.execPath,
      ['--conditions=@vae/source', '--import', 'tsx', fixture, tf.getBackend(), ...folders],
      { encoding: 'utf8' },
    );
    if (child.status !== 0) throw new Error(child.stderr);
    there = JSON.parse(child.stdout) as Numbers[];
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))(
    '%s trains through fit, saves to a file and loads in a new process bit-identically',
    (_, i) => {
      expect(changed[i]).toBe(true);
      expect(there[i]!.elbo).toEqual(here[i]!.elbo);
      expect(there[i]!.logLikelihood).toEqual(here[i]!.logLikelihood);
      expect(there[i]!.samples).toEqual(here[i]!.samples);
      expect(here[i]!.elbo.every(Number.isFinite)).toBe(true);
    },
  );
});
