// The posterior q(z | x) of a run: the Gaussian encoder, or an inverse
// autoregressive flow on it (`--posterior iaf`), built the way @vae/nn's
// presets build their `posterior: { kind: 'iaf' }`.

import { deriveSeed } from '@vae/divergence';
import {
  type Encoder,
  FlowEncoder,
  flowStack,
  type GaussianEncoder,
  type PosteriorChoice,
} from '@vae/nn';
import { DEFAULT_FLOW_LAYERS, IAF_HIDDEN } from './architecture.js';
import type { RunConfig } from './run-config.js';

/** The posterior a run config names, as an @vae/nn preset's `posterior`. */
export function posteriorOf(config: RunConfig): PosteriorChoice {
  return config.posterior === 'iaf'
    ? { kind: 'iaf', layers: config.flowLayers ?? DEFAULT_FLOW_LAYERS, hidden: [...IAF_HIDDEN] }
    : 'gaussian';
}

/** The Gaussian encoder, or an IAF on it conditioned on the encoder body's features. */
export function posteriorFor(config: RunConfig, encoder: GaussianEncoder): Encoder {
  const choice = posteriorOf(config);
  if (choice === 'gaussian') return encoder;
  const flow = flowStack({
    kind: 'iaf',
    features: encoder.latentDim,
    layers: choice.layers,
    contextFeatures: encoder.locHead.inFeatures,
    hidden: [...IAF_HIDDEN],
    seed: deriveSeed(config.seed, 3000),
  });
  return new FlowEncoder({ encoder, flow });
}
