// The validation bound of `vae train --validation`: the importance-weighted
// bound IWAE_k on the held-out training images after an epoch, and best.ckpt,
// the checkpoint of the epoch with the highest bound so far.
import { readFile } from 'node:fs/promises';
import type { DataSource } from '@vae/data';
import { deriveSeed } from '@vae/divergence';
import { writeFileAtomic } from '@vae/divergence/node';
import { iwaeValidationLoss } from '@vae/elbo';
import type { VAE } from '@vae/nn';
import type { EpochMetrics, RunPaths } from '../internal/run-folder.js';

/** Validation images scored at once. */
const VALIDATION_BATCH = 100;
/** Rows (sample, image) decoded at once: the memory bound of an evaluation. */
const DECODED_ROWS = 4096;
/** Stream of the validation bound's samples under the run's seed. */
const VALIDATION_STREAM = 0x7a11d;

/** One evaluation of the bound (nats; the means over the validation images). */
export type ValidationBound = NonNullable<EpochMetrics['validation']>;

/**
 * Mean IWAE_k and mean log-weight over the validation images, batch by batch
 * (memory bounded by {@link DECODED_ROWS}), summed in float64 on the host;
 * undefined when `shouldStop` says so between two batches (a budget or Ctrl-C:
 * an evaluation of 10,000 images can take minutes).
 * Every evaluation draws the same samples for the same weights (batch b from
 * `deriveSeed(seed, VALIDATION_STREAM, b)`): the same seed gives the same
 * numbers, and comparisons between epochs share their random numbers.
 */
export async function validationBound(
  model: VAE,
  source: DataSource,
  options: { k: number; seed: number; shouldStop?: () => boolean },
): Promise<ValidationBound | undefined> {
  const started = performance.now();
  const loss = iwaeValidationLoss(model, { k: options.k, batchSize: DECODED_ROWS });
  let iwae = 0;
  let elbo = 0;
  for (let start = 0, batch = 0; start < source.size; start += VALIDATION_BATCH, batch++) {
    // A macrotask between batches lets a Ctrl-C (a signal event) be seen.
    await new Promise((resolve) => setImmediate(resolve));
    if (options.shouldStop?.() === true) return undefined;
    const size = Math.min(VALIDATION_BATCH, source.size - start);
    const x = source.getBatch(Array.from({ length: size }, (_, i) => start + i));
    try {
      const result = loss(x, { seed: deriveSeed(options.seed, VALIDATION_STREAM, batch) });
      const values = await Promise.all([result.metrics.iwae.data(), result.metrics.elbo.data()]);
      result.loss.dispose();
      result.metrics.iwae.dispose();
      result.metrics.elbo.dispose();
      iwae += values[0][0]! * size;
      elbo += values[1][0]! * size;
    } finally {
      x.dispose();
    }
  }
  return {
    iwae: iwae / source.size,
    elbo: elbo / source.size,
    k: options.k,
    examples: source.size,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The epoch with the highest validation bound among these lines, or undefined. */
export function bestEpoch(history: readonly EpochMetrics[]): EpochMetrics | undefined {
  let best: EpochMetrics | undefined;
  for (const line of history) {
    if (line.validation === undefined || !Number.isFinite(line.validation.iwae)) continue;
    if (best?.validation === undefined || line.validation.iwae > best.validation.iwae) best = line;
  }
  return best;
}

/** Copies the run's checkpoint to best.ckpt, atomically (a kill leaves the old one or the new one). */
export async function keepAsBest(paths: RunPaths): Promise<void> {
  await writeFileAtomic(paths.best, await readFile(paths.checkpoint));
}

/**
 * The epoch line whose validation bound a resume must evaluate first, or
 * undefined: the last line, when it was cut short (`validationSkipped`) and
 * the checkpoint resumed from is the one written right after it. The model
 * then holds that checkpoint's weights, the very ones the uninterrupted run
 * scored, so the bound (same seed, same samples) is the one it would have
 * logged.
 */
export function skippedValidation(
  history: readonly EpochMetrics[],
  state: { epoch: number; batchInEpoch: number } | undefined,
): EpochMetrics | undefined {
  const last = history.at(-1);
  if (state === undefined || state.batchInEpoch !== 0 || last === undefined) return undefined;
  return last.epoch === state.epoch - 1 && last.validationSkipped === true ? last : undefined;
}

/** The line with its bound filled in (and the skipped mark gone). */
export function withValidation(line: EpochMetrics, bound: ValidationBound): EpochMetrics {
  const { validationSkipped: _, ...rest } = line;
  return { ...rest, validation: bound };
}
