import type * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import { readManifest } from './checkpoint.js';
import { buildVAE } from './presets.js';
import type { VAE } from './vae.js';

/**
 * Rebuilds the VAE a checkpoint describes (from its manifest) and loads its
 * weights; errors as {@link VAE.fromArtifacts}.
 *
 * @example
 * ```ts
 * const model = vaeFromArtifacts(await trained.toArtifacts());
 * ```
 */
export function vaeFromArtifacts(artifacts: tf.io.ModelArtifacts): VAE {
  const model = buildVAE(readManifest(artifacts).architecture, 0);
  try {
    model.fromArtifacts(artifacts);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/**
 * Loads a VAE through any tfjs IOHandler (`indexeddb://name`, `tf.io.browserFiles`, ...).
 *
 * @example
 * ```ts
 * const model = await loadVAE(tf.io.getLoadHandlers('indexeddb://mnist-vae')[0]);
 * ```
 */
export async function loadVAE(handler: tf.io.IOHandler): Promise<VAE> {
  ensureArgument(typeof handler?.load === 'function', () => 'loadVAE: `handler` has no load()');
  return vaeFromArtifacts(await handler.load());
}
