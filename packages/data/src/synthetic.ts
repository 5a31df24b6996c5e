import { checkSeed, ensureArgument, seededUniform } from '@vae/divergence';
import type { Dataset } from './dataset.js';
import { normal } from './internal/normal.js';

/**
 * Points held on the host: a {@link Dataset} with item shape `[dimension]`, float32
 * `values` `[size, dimension]` row-major, and the component (mixture) or moon (two
 * moons) each point came from in `labels`, `[size]`.
 *
 * @example
 * ```ts
 * import { type PointDataset, twoMoons } from '@vae/data';
 *
 * const moons: PointDataset = twoMoons({ size: 10, seed: 0 });
 * console.log(moons.itemShape); // -> [ 2 ]
 * ```
 */
export interface PointDataset extends Dataset<readonly [dimension: number]> {
  /** Coordinates, `[size, dimension]` row-major. */
  readonly values: Float32Array;
  /** The component (mixture) or moon (two moons) each point came from, `[size]`. */
  readonly labels: Uint8Array;
}

/** Options for {@link gaussianMixture}. */
export interface GaussianMixtureOptions {
  /** Number of points. */
  size: number;
  /** Number of components, equally weighted, on a circle (default 8). */
  components?: number;
  /** Radius of the circle the means lie on (default 4). */
  radius?: number;
  /** Standard deviation of each component (default 0.5). */
  scale?: number;
  /** Seed (default 0). */
  seed?: number;
}

function checkSize(name: string, size: number, seed: number): void {
  checkSeed(name, seed);
  ensureArgument(
    Number.isInteger(size) && size > 0,
    () => `${name}: \`size\` must be a positive integer, got ${size}`,
  );
}

/**
 * A 2-D mixture of isotropic Gaussians with equal weights and means evenly
 * spaced on a circle: the classic multi-modal toy problem for generative models.
 * Component k has mean `radius * (cos 2πk/K, sin 2πk/K)` and std `scale`.
 *
 * @param options - `size`, `components`, `radius`, `scale` and `seed` (see {@link GaussianMixtureOptions}).
 * @returns points `[size, 2]` in `values` and each point's component in `labels`.
 *
 * @example
 * ```ts
 * import { gaussianMixture } from '@vae/data';
 *
 * const { values, labels } = gaussianMixture({ size: 1000, components: 8, seed: 1 });
 * console.log(values.length); // -> 2000
 * ```
 */
export function gaussianMixture(options: GaussianMixtureOptions): PointDataset {
  const { size, components = 8, radius = 4, scale = 0.5, seed = 0 } = options;
  checkSize('gaussianMixture', size, seed);
  ensureArgument(
    Number.isInteger(components) && components > 0,
    () => `gaussianMixture: \`components\` must be a positive integer, got ${components}`,
  );
  ensureArgument(scale > 0, () => `gaussianMixture: \`scale\` must be positive, got ${scale}`);
  const random = seededUniform(seed);
  const points = new Float32Array(size * 2);
  const labels = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const k = Math.floor(random() * components);
    const angle = (2 * Math.PI * k) / components;
    labels[i] = k;
    points[2 * i] = radius * Math.cos(angle) + scale * normal(random);
    points[2 * i + 1] = radius * Math.sin(angle) + scale * normal(random);
  }
  return { size, itemShape: [2], values: points, labels };
}

/** Options for {@link twoMoons}. */
export interface TwoMoonsOptions {
  /** Number of points (half on each moon, the odd one on the first). */
  size: number;
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0.1). */
  noise?: number;
  /** Seed (default 0). */
  seed?: number;
}

/**
 * Two interleaving half circles (as scikit-learn's `make_moons`): the upper
 * moon is `(cos t, sin t)`, the lower `(1 - cos t, 0.5 - sin t)`, t uniform in
 * [0, π], plus Gaussian noise.
 *
 * @param options - `size`, `noise` and `seed` (see {@link TwoMoonsOptions}).
 * @returns points `[size, 2]` in `values` and the moon (0 or 1) of each in `labels`.
 *
 * @example
 * ```ts
 * import { twoMoons } from '@vae/data';
 *
 * const moons = twoMoons({ size: 500, noise: 0.05, seed: 3 });
 * // The first half of the points lies on the upper moon:
 * console.log(moons.labels[0]); // -> 0
 * ```
 */
export function twoMoons(options: TwoMoonsOptions): PointDataset {
  const { size, noise = 0.1, seed = 0 } = options;
  checkSize('twoMoons', size, seed);
  ensureArgument(noise >= 0, () => `twoMoons: \`noise\` must be non-negative, got ${noise}`);
  const random = seededUniform(seed);
  const points = new Float32Array(size * 2);
  const labels = new Uint8Array(size);
  const upper = Math.ceil(size / 2);
  for (let i = 0; i < size; i++) {
    const moon = i < upper ? 0 : 1;
    const t = Math.PI * random();
    const x = moon === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const y = moon === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    labels[i] = moon;
    points[2 * i] = x + noise * normal(random);
    points[2 * i + 1] = y + noise * normal(random);
  }
  return { size, itemShape: [2], values: points, labels };
}
