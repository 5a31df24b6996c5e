import type { ActivationName } from '../activation.js';
import type { ModuleConfig } from '../serialization/module-spec.js';
import type { BuildContext } from '../serialization/registry.js';
import { MADE, type MadeOptions, readMadeConfig } from './made.js';

/**
 * Options of the MADE-based flows ({@link MaskedAutoregressiveFlow},
 * {@link InverseAutoregressiveFlow}): those of their {@link MADE} with two outputs per feature.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import type { AutoregressiveFlowOptions } from '@vae/nn';
 * const options: AutoregressiveFlowOptions = { features: 8, hidden: [64, 64], contextFeatures: 32, seed: 1 };
 * ```
 */
export interface AutoregressiveFlowOptions {
  /** D, the size of the vectors. */
  features: number;
  /** Hidden widths of the MADE (default [64, 64]). */
  hidden?: number[];
  /** Size of the context the layer is conditioned on (default 0: none). */
  contextFeatures?: number;
  /** The autoregressive order (a permutation of 0..D-1; default [0, 1, ..., D-1]). */
  order?: number[];
  /** The MADE's hidden degrees (default seeded random; saved in the configuration). */
  degrees?: number[][];
  /** Default 'relu'. */
  activation?: ActivationName;
  /** Seed of the initial weights and the masks; random if omitted. */
  seed?: number;
}

/** A MADE with two outputs per feature, its output layer started by `output` initializers. */
export function flowMade(
  options: AutoregressiveFlowOptions,
  output: Pick<MadeOptions, 'outputInit' | 'outputBiasInit'>,
): MADE {
  const { features, hidden, contextFeatures, order, degrees, activation, seed } = options;
  return new MADE({
    features,
    outputsPerFeature: 2,
    ...(hidden === undefined ? {} : { hidden }),
    ...(contextFeatures === undefined ? {} : { contextFeatures }),
    ...(order === undefined ? {} : { order }),
    ...(degrees === undefined ? {} : { degrees }),
    ...(activation === undefined ? {} : { activation }),
    ...(seed === undefined ? {} : { seed }),
    ...output,
  });
}

/** The configuration of a MADE-based flow: its MADE's, without the fixed outputs per feature. */
export function autoregressiveConfig(made: MADE): ModuleConfig {
  const { outputsPerFeature: _, ...config } = made.getConfig();
  return config;
}

/** Reads {@link autoregressiveConfig}'s output back. */
export function readAutoregressiveConfig(
  config: ModuleConfig,
  context: BuildContext,
  owner: string,
): AutoregressiveFlowOptions {
  const {
    outputsPerFeature: _,
    outputInit: __,
    outputBiasInit: ___,
    ...options
  } = readMadeConfig(config, context, owner);
  return options;
}
