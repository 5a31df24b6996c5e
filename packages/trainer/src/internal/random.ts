// fit's randomness: every stream is a pure function of the run's seed and a
// counter, so a resumed run draws exactly what an uninterrupted one would.
import { deriveSeed, seededUniform } from '@vae/divergence';

/** Stream names (arbitrary distinct constants) under the run's seed. */
const ORDER = 1;
const LOSS = 2;
const BATCH = 3;
const VALIDATION = 4;

/** The order of examples in one epoch: a Fisher-Yates shuffle seeded by (seed, epoch). */
export function epochPermutation(size: number, seed: number, epoch: number): Uint32Array {
  const order = new Uint32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  const uniform = seededUniform(seed, ORDER, epoch);
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** The loss function's seed at a global step. */
export function lossSeed(seed: number, step: number): number {
  return deriveSeed(seed, LOSS, step);
}

/** The data source's seed for the batch of a global step. */
export function batchSeed(seed: number, step: number): number {
  return deriveSeed(seed, BATCH, step);
}

/** The seed of the validation pass after an epoch. */
export function validationSeed(seed: number, epoch: number): number {
  return deriveSeed(seed, VALIDATION, epoch);
}
