import { ensureArgument, seededUniform } from '@vae/divergence';
import type { ActivationName } from '../activation.js';
import type { Encoder } from '../encoder.js';
import type { GaussianEncoder } from '../gaussian-encoder.js';
import { deriveSeed, randomSeed } from '../internal/seed.js';
import { AffineCoupling } from './affine-coupling.js';
import { FlowEncoder } from './flow-encoder.js';
import type { FlowLayer } from './flow-layer.js';
import { FlowPrior } from './flow-prior.js';
import { FlowStack } from './flow-stack.js';
import { InverseAutoregressiveFlow } from './inverse-autoregressive-flow.js';
import { MaskedAutoregressiveFlow } from './masked-autoregressive-flow.js';
import { Permutation } from './permutation.js';
import { PlanarFlow } from './planar-flow.js';
import { RadialFlow } from './radial-flow.js';

/**
 * The flow layers {@link flowStack} builds: masked autoregressive (`'maf'`), inverse
 * autoregressive (`'iaf'`), RealNVP affine coupling (`'realnvp'`), `'planar'`, `'radial'`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import type { FlowKind } from '@vae/nn';
 * const kind: FlowKind = 'realnvp';
 * ```
 */
export type FlowKind = 'maf' | 'iaf' | 'realnvp' | 'planar' | 'radial';

const KINDS: readonly FlowKind[] = ['maf', 'iaf', 'realnvp', 'planar', 'radial'];

/**
 * Options of {@link flowStack}.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import type { FlowStackOptions } from '@vae/nn';
 * const options: FlowStackOptions = { kind: 'maf', features: 2, layers: 5, hidden: [64, 64], seed: 1 };
 * ```
 */
export interface FlowStackOptions {
  /** The kind of flow layer: `'realnvp'`, `'maf'`, `'iaf'`, `'planar'` or `'radial'`. */
  kind: FlowKind;
  /** D, the size of the vectors. */
  features: number;
  /** How many flow layers (permutations not counted). */
  layers: number;
  /** Hidden widths of each MADE or coupling network (default [64, 64]; unused by planar/radial). */
  hidden?: number[];
  /** Context width of conditional MAF/IAF layers (default 0; the encoder's features for a posterior). */
  contextFeatures?: number;
  /** Default 'relu'. */
  activation?: ActivationName;
  /**
   * What goes between MAF/IAF layers: `'reverse'` (default, the reversal), `'random'` (a
   * seeded permutation) or `'none'`. RealNVP alternates its coupling parity instead.
   */
  permutation?: 'reverse' | 'random' | 'none';
  /** Seed of every initial weight, mask and permutation; random if omitted. */
  seed?: number;
}

/** A seeded permutation of 0..n-1 (Fisher-Yates). */
function randomPermutation(n: number, seed: number): number[] {
  const uniform = seededUniform(seed);
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function layerOf(options: FlowStackOptions, index: number, seed: number): FlowLayer {
  const { features, hidden, activation } = options;
  const common = {
    features,
    seed,
    ...(hidden === undefined ? {} : { hidden }),
    ...(activation === undefined ? {} : { activation }),
  };
  const context = options.contextFeatures ?? 0;
  switch (options.kind) {
    case 'maf':
      return new MaskedAutoregressiveFlow({ ...common, contextFeatures: context });
    case 'iaf':
      return new InverseAutoregressiveFlow({ ...common, contextFeatures: context });
    case 'realnvp':
      return new AffineCoupling({ ...common, parity: index % 2 === 0 ? 0 : 1 });
    case 'planar':
      return new PlanarFlow({ features, seed });
    case 'radial':
      return new RadialFlow({ features, seed });
  }
}

/**
 * A stack of `layers` flow layers of one kind, in one line: MAF and IAF layers with a
 * reversal (or a seeded permutation) between them, RealNVP couplings of alternating parity,
 * or planar/radial layers. The result is a {@link FlowStack} for {@link FlowModel},
 * {@link FlowPrior} or {@link FlowEncoder}.
 *
 * @param options - The kind of flow, its size and depth; see {@link FlowStackOptions}.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { flowStack } from '@vae/nn';
 * const maf = flowStack({ kind: 'maf', features: 2, layers: 5, hidden: [64, 64], seed: 1 });
 * maf.layers.length; // 9: five MAF layers and four reversals
 * maf.dispose();
 * ```
 */
export function flowStack(options: FlowStackOptions): FlowStack {
  const { kind, layers, features } = options;
  ensureArgument(
    KINDS.includes(kind),
    () => `flowStack: \`kind\` must be one of ${KINDS.join(', ')}, got ${JSON.stringify(kind)}`,
  );
  ensureArgument(
    Number.isInteger(layers) && layers > 0,
    () => `flowStack: \`layers\` must be a positive integer, got ${layers}`,
  );
  ensureArgument(
    (options.contextFeatures ?? 0) === 0 || kind === 'maf' || kind === 'iaf',
    () => `flowStack: only 'maf' and 'iaf' layers take a context, got kind '${kind}'`,
  );
  const permutation = options.permutation ?? 'reverse';
  ensureArgument(
    ['reverse', 'random', 'none'].includes(permutation),
    () =>
      `flowStack: \`permutation\` must be 'reverse', 'random' or 'none', got ${JSON.stringify(permutation)}`,
  );
  const seed = options.seed ?? randomSeed();
  const out: FlowLayer[] = [];
  for (let i = 0; i < layers; i++) {
    if (i > 0 && (kind === 'maf' || kind === 'iaf') && permutation !== 'none') {
      out.push(
        permutation === 'reverse'
          ? Permutation.reverse(features)
          : new Permutation({ permutation: randomPermutation(features, deriveSeed(seed, 1, i)) }),
      );
    }
    out.push(layerOf(options, i, deriveSeed(seed, 0, i)));
  }
  return new FlowStack(out);
}

/** The flow prior of a preset's `prior: { kind: 'flow', layers, flow?, hidden? }`. */
export function presetFlowPrior(
  latentDim: number,
  choice: { layers: number; flow?: 'maf' | 'realnvp'; hidden?: number[] },
  seed: number,
): FlowPrior {
  const kind = choice.flow ?? 'maf';
  ensureArgument(
    kind === 'maf' || kind === 'realnvp',
    () =>
      `VAE preset: a flow prior's \`flow\` must be 'maf' or 'realnvp', got ${JSON.stringify(kind)}`,
  );
  ensureArgument(
    kind === 'maf' || latentDim >= 2,
    () => `VAE preset: a RealNVP prior needs latentDim >= 2, got ${latentDim}`,
  );
  const flow = flowStack({
    kind,
    features: latentDim,
    layers: choice.layers,
    ...(choice.hidden === undefined ? {} : { hidden: choice.hidden }),
    seed,
  });
  return new FlowPrior({ flow });
}

/** The posterior of a preset: the Gaussian encoder, or an IAF on top of it (`{ kind: 'iaf' }`). */
export function presetPosterior(
  encoder: GaussianEncoder,
  choice: 'gaussian' | { kind: 'iaf'; layers: number; hidden?: number[] },
  seed: number,
): Encoder {
  if (choice === 'gaussian') return encoder;
  ensureArgument(
    typeof choice === 'object' && choice !== null && choice.kind === 'iaf',
    () =>
      `VAE preset: \`posterior\` must be 'gaussian' or { kind: 'iaf', layers }, got ${JSON.stringify(choice)}`,
  );
  const flow = flowStack({
    kind: 'iaf',
    features: encoder.latentDim,
    layers: choice.layers,
    contextFeatures: encoder.locHead.inFeatures,
    ...(choice.hidden === undefined ? {} : { hidden: choice.hidden }),
    seed,
  });
  return new FlowEncoder({ encoder, flow });
}
