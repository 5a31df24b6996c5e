import type { ActivationName } from '../activation.js';
import type { Likelihood, PresetConfig } from '../internal/preset-config.js';
import { buildConv, buildMlp } from '../presets.js';
import type { ModuleSpec } from './module-spec.js';

/**
 * The manifest of a model file written by @vae/nn before the module registry
 * (format 'vae', version 1): the preset and its options.
 */
export interface LegacyManifest {
  format: 'vae';
  version: 1;
  architecture: {
    kind: 'mlp' | 'conv';
    inputShape: number[];
    hidden: number[] | number;
    channels?: number[];
    latentDim: number;
    likelihood: Likelihood;
    activation: ActivationName;
    variance?: 'learned' | number;
  };
}

/** True for a version-1 manifest. */
export function isLegacyManifest(topology: unknown): topology is LegacyManifest {
  const t = topology as Partial<LegacyManifest> | null;
  return typeof t === 'object' && t !== null && t.format === 'vae' && t.version === 1;
}

/**
 * The module spec a version-1 manifest describes: its preset, rebuilt, gives
 * the spec (its weight names are the ones version 1 saved, and the N(0, I)
 * prior it implied has no weights). Throws as the presets do on bad options.
 */
export function legacySpec(manifest: LegacyManifest): ModuleSpec {
  const config = {
    ...manifest.architecture,
    prior: 'standard-normal',
    posterior: 'gaussian',
  } as PresetConfig;
  const model = config.kind === 'conv' ? buildConv(config, 0) : buildMlp(config, 0);
  try {
    return model.spec();
  } finally {
    model.dispose();
  }
}
