import { saveModel } from '@vae/nn';
import { fileHandler } from '@vae/nn/node';
import type { CliModel } from './model.js';

/**
 * Writes the trained VAE to `<directory>/model.json` + `weights.bin` (the layout
 * `tf.io.http` reads), so a page can load it with `loadVAE('.../model.json')`
 * from @vae/nn, and Node with `loadVAE(fileHandler(directory))`.
 */
export async function exportModel(model: CliModel, directory: string): Promise<void> {
  await saveModel(model, fileHandler(directory));
}
