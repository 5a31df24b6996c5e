import { ensureArgument, VaeError } from './vae-error.js';

// One home for seeded randomness across the @vae packages: every package derives
// its streams here, so a seed means the same thing everywhere and 0 is a seed
// like any other (tfjs's own random ops treat 0 as "no seed").

/** A uniform generator on [0, 1): each call returns the next draw of its stream. */
export type UniformGenerator = () => number;

const FLOAT = new Float64Array(1);
const WORDS = new Uint32Array(FLOAT.buffer);

/** splitmix32's finalizer: a bijection on 32-bit words with full avalanche. */
function mix32(x: number): number {
  let h = (x + 0x9e3779b9) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Hashes any number (its float64 bits, so 1, 1.5, -1 and 2^40 all differ) to 32 bits. */
function hashNumber(value: number): number {
  if (Number.isInteger(value) && value >= 0 && value < 2 ** 32) return mix32(value);
  FLOAT[0] = value;
  return mix32(mix32(WORDS[0]!) ^ WORDS[1]!);
}

/**
 * A 32-bit seed derived from `seed` and a path of counters (a stream, an epoch,
 * a step, a layer index): the same inputs give the same seed on every platform,
 * and nearby inputs give unrelated seeds. `deriveSeed(s)` with no counters is a
 * hash of `s` alone.
 *
 * @param seed - Any finite number; 0 is a seed like any other.
 * @param path - Counters that name one stream of `seed`.
 * @returns An unsigned 32-bit integer.
 * @example
 * ```ts
 * import { deriveSeed } from '@vae/divergence';
 *
 * const epochSeed = deriveSeed(7, 3); // the stream of epoch 3 under seed 7
 * console.log(deriveSeed(7, 3) === epochSeed); // -> true
 * console.log(deriveSeed(0, 3) !== deriveSeed(1, 3)); // -> true
 * ```
 */
export function deriveSeed(seed: number, ...path: number[]): number {
  let h = hashNumber(seed);
  for (const counter of path) h = mix32(h ^ Math.imul(hashNumber(counter), 0x27d4eb2d));
  return h;
}

/**
 * A seeded uniform generator on [0, 1) (mulberry32 over a state derived from
 * `seed` and `path`): fast, identical on every platform, not for cryptography.
 *
 * @param seed - Any finite number; 0 is a seed like any other.
 * @param path - Counters that pick one independent stream of `seed`.
 * @returns A generator: each call returns the next draw.
 * @example
 * ```ts
 * import { seededUniform } from '@vae/divergence';
 *
 * const uniform = seededUniform(42, 0);
 * const draws = [uniform(), uniform()]; // the same two numbers on every run, in [0, 1)
 * console.log(draws);
 * ```
 */
export function seededUniform(seed: number, ...path: number[]): UniformGenerator {
  let state = deriveSeed(seed, ...path);
  return () => {
    state = (state + MULBERRY_STEP) >>> 0;
    return mulberryOutput(state);
  };
}

/** mulberry32's state moves by this constant per draw, so draw i's state is known. */
const MULBERRY_STEP = 0x6d2b79f5;

/** mulberry32's output for a state: a draw in [0, 1). */
function mulberryOutput(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Draw `index` of a stream, without drawing the ones before it. */
export type IndexedUniform = (index: number) => number;

/**
 * The stream of {@link seededUniform} read by position: `at(i)` is the value of the
 * (i + 1)-th call of `seededUniform(seed, ...path)`, in O(1) whatever `i`. A loop that
 * needs a draw for some positions only (a pixel at 0 or 1 needs none to binarize) skips
 * the others and still gets the same numbers as one that draws them all.
 *
 * @param seed - Any finite number; 0 is a seed like any other.
 * @param path - Counters that pick one independent stream of `seed`.
 * @returns `at(index)` for an integer `index` in [0, 2^32 - 1); throws
 *   `VaeError('INVALID_ARGUMENT')` otherwise.
 * @example
 * ```ts
 * import { seededUniform, seededUniformAt } from '@vae/divergence';
 *
 * const next = seededUniform(42, 0);
 * const at = seededUniformAt(42, 0);
 * const first = next();
 * next();
 * console.log(next() === at(2), first === at(0)); // -> true true
 * ```
 */
export function seededUniformAt(seed: number, ...path: number[]): IndexedUniform {
  const start = deriveSeed(seed, ...path);
  return (index) => {
    if (!(Number.isInteger(index) && index >= 0 && index < 4294967295)) {
      const expected = 'an integer in [0, 2^32 - 1)';
      throw new VaeError(
        'INVALID_ARGUMENT',
        `seededUniformAt: \`index\` must be ${expected}, got ${index}`,
      );
    }
    return mulberryOutput((start + Math.imul(index + 1, MULBERRY_STEP)) >>> 0);
  };
}

/**
 * The seed to hand a tfjs random op (`tf.randomNormal`, `tf.randomUniform`,
 * `tf.multinomial`, ...) for stream `path` of `seed`: a number in (0, 1), never
 * 0 (tfjs reads 0 as "no seed") and small (WebGL's shader generators lose their
 * randomness with large seeds). `undefined` stays `undefined`: a random draw.
 *
 * @param seed - Any finite number, or `undefined` for an unseeded draw.
 * @param path - Counters that pick one stream of `seed`.
 * @returns The seed for tfjs, or `undefined`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { tfSeed } from '@vae/divergence';
 *
 * const a = tf.randomNormal([3], 0, 1, 'float32', tfSeed(0));
 * const b = tf.randomNormal([3], 0, 1, 'float32', tfSeed(0)); // the same values as a
 * const c = tf.randomNormal([3], 0, 1, 'float32', tfSeed(0, 1)); // stream 1 of seed 0: other values
 * tf.stack([a, b, c]).print();
 * ```
 */
export function tfSeed(seed: number | undefined, ...path: number[]): number | undefined {
  if (seed === undefined) return undefined;
  return (deriveSeed(seed, ...path) || 1) / 4294967296;
}

/**
 * Checks a seed given to `fn`: `undefined` (random) or a finite number. Throws
 * `VaeError('INVALID_ARGUMENT')` naming `fn` otherwise.
 *
 * @param fn - The name of the function that received the seed, for the message.
 * @param seed - The value to check.
 *
 * @example
 * ```ts
 * import { checkSeed, VaeError } from '@vae/divergence';
 *
 * checkSeed('sample', 0); // fine: 0 is a seed
 * try {
 *   checkSeed('sample', Number.NaN);
 * } catch (error) {
 *   if (VaeError.isInstance(error)) {
 *     console.log(error.message); // -> sample: `seed` must be a finite number, got NaN
 *   }
 * }
 * ```
 */
export function checkSeed(fn: string, seed: unknown): asserts seed is number | undefined {
  ensureArgument(
    seed === undefined || (typeof seed === 'number' && Number.isFinite(seed)),
    () => `${fn}: \`seed\` must be a finite number, got ${String(seed)}`,
  );
}
