import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliModel } from './model.js';
import { writeAtomic } from './run-folder.js';

/**
 * Writes the trained VAE to `<directory>/model.json` + `weights.bin` in the tfjs
 * weights format (the layout `tf.io.http` reads), so a page can load it with
 * `loadVAE(tf.io.http('.../model.json'))` from @vae/nn. The manifest records the
 * architecture, checked on load.
 */
export async function exportModel(model: CliModel, directory: string): Promise<void> {
  const artifacts = await model.toArtifacts();
  await mkdir(directory, { recursive: true });
  const weights = artifacts.weightData as ArrayBuffer;
  await writeAtomic(join(directory, 'weights.bin'), new Uint8Array(weights));
  const manifest = {
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  };
  await writeAtomic(join(directory, 'model.json'), `${JSON.stringify(manifest)}\n`);
}
