import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { loadVAE, mlpVAE, saveModel, VaeError } from '../src/index.js';
import { fileHandler } from '../src/node.js';

async function folder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'vae-model-'));
}

async function expectCorrupt(path: string, message: RegExp): Promise<void> {
  try {
    await loadVAE(fileHandler(path));
  } catch (error) {
    expect(VaeError.isInstance(error) && error.code).toBe('CHECKPOINT_CORRUPT');
    expect((error as Error).message).toMatch(message);
    return;
  }
  expect.fail('expected CHECKPOINT_CORRUPT');
}

describe('fileHandler', () => {
  it('writes model.json + weights.bin and reads them back bit-exactly', async () => {
    const dir = join(await folder(), 'model');
    const model = mlpVAE({
      inputShape: [6],
      hidden: [5],
      latentDim: 2,
      seed: 1,
      prior: 'diagonal',
    });
    await saveModel(model, fileHandler(dir));
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(manifest.modelTopology.format).toBe('vae-model');
    expect(manifest.weightsManifest[0].paths).toEqual(['weights.bin']);
    for (const path of [dir, join(dir, 'model.json')]) {
      const copy = await loadVAE(fileHandler(path));
      const a = copy.namedParameters().map(([n, v]) => [n, Array.from(v.dataSync())]);
      const b = model.namedParameters().map(([n, v]) => [n, Array.from(v.dataSync())]);
      expect(a).toEqual(b);
      copy.dispose();
    }
    model.dispose();
  });

  it('loads in a new process to the same samples', async () => {
    const dir = join(await folder(), 'model');
    const model = mlpVAE({
      inputShape: [6],
      hidden: [5],
      latentDim: 2,
      seed: 3,
      prior: { kind: 'mixture', components: 2 },
    });
    await saveModel(model, fileHandler(dir));
    const here = Array.from(model.sample(3, { seed: 0 }).dataSync());
    const script = `
      import '@tensorflow/tfjs-backend-cpu';
      import * as tf from '@tensorflow/tfjs-core';
      import { loadVAE } from '@vae/nn';
      import { fileHandler } from '@vae/nn/node';
      await tf.setBackend('cpu');
      const model = await loadVAE(fileHandler(${JSON.stringify(dir)}));
      process.stdout.write(JSON.stringify(Array.from(model.sample(3, { seed: 0 }).dataSync())));
    `;
    const child = spawnSync(
      process.execPath,
      ['--conditions=@vae/source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: process.cwd(), encoding: 'utf8' },
    );
    expect(child.status, child.stderr).toBe(0);
    const there = JSON.parse(child.stdout) as number[];
    // The child runs on cpu; other backends draw the mixture's components differently.
    if (tf.getBackend() === 'cpu') expect(there).toEqual(here);
    else expect(there).toHaveLength(here.length);
    model.dispose();
  });

  it('names what is wrong with a damaged or hostile folder, checking sizes before reading', async () => {
    const dir = join(await folder(), 'model');
    const model = mlpVAE({ inputShape: [6], hidden: [5], latentDim: 2, seed: 1 });
    await saveModel(model, fileHandler(dir));
    model.dispose();
    const json = join(dir, 'model.json');
    const good = await readFile(json, 'utf8');
    await expectCorrupt(join(dir, 'missing'), /no such file/);
    await truncate(join(dir, 'weights.bin'), 100);
    await expectCorrupt(dir, /weight files hold 100 bytes, the weight specs describe/);
    const manifest = JSON.parse(good);
    manifest.weightsManifest[0].weights.push({ name: 'huge', shape: [1e9, 1e9], dtype: 'float32' });
    await writeFile(json, JSON.stringify(manifest));
    await expectCorrupt(dir, /declares more than 268435456 parameters/);
    manifest.weightsManifest[0].weights.pop();
    manifest.weightsManifest[0].paths = ['../../etc/passwd'];
    await writeFile(json, JSON.stringify(manifest));
    await expectCorrupt(dir, /must be a file name beside model\.json/);
    await writeFile(json, 'null');
    await expectCorrupt(dir, /not a model\.json/);
    await writeFile(json, '{ not json');
    await expectCorrupt(dir, /not JSON/);
    // A FIFO or a device in model.json's place: refused at once, never waited on or read.
    await rm(json);
    spawnSync('mkfifo', [json]);
    await expectCorrupt(dir, /model\.json: not a regular file/);
    await rm(json);
    await symlink('/dev/zero', json);
    await expectCorrupt(dir, /model\.json: not a regular file/);
  });
});
