// eval.progress.json: the sums of an unfinished `vae eval`, written after every
// batch, so an evaluation that is stopped (Ctrl-C, a kill, a closed laptop) goes
// on from its last batch when the same command runs again. Each batch's noise
// depends only on the seed and the batch's index and the sums are float64 sent
// through JSON (exact), so a continued evaluation reports what an uninterrupted
// one would. The file is a cache: one that does not match the command or does not
// parse is set aside with a line saying why, never trusted.
import { rm } from 'node:fs/promises';
import { writeFileAtomic } from '@vae/divergence/node';
import { z } from 'zod';
import { readSmallText, type SmallText } from '../internal/small-file.js';

/** What must match for an evaluation to go on from the file. */
export interface EvalSettings {
  /** The run's id (config.json), the checkpoint scored and its step: the weights. */
  runId: string;
  checkpoint: 'last' | 'best';
  step: number;
  /** The test examples scored, and how: these fix every batch's numbers. */
  examples: number;
  k: number;
  batchSize: number;
  chunk: number;
  seed: number;
  /** The tfjs backend: another one rounds differently. */
  backend: string;
}

/** Sums over the scored examples, in float64 (see `evaluate`). */
export interface EvalTotals {
  reconstruction: number;
  kl: number;
  logLikelihood: number;
  /** The first example's ELBO and log-likelihood: the sums of squares are of distances from them. */
  shift: { elbo: number; logLikelihood: number } | undefined;
  elboSquares: number;
  logLikelihoodSquares: number;
  /** Per latent dimension: sums of the encoder mean and of its square. */
  mean: Float64Array;
  square: Float64Array;
}

/** Where an unfinished evaluation stands. */
export interface EvalProgress {
  /** Batches scored, from the first. */
  batches: number;
  /** Seconds spent scoring them, over every invocation. */
  seconds: number;
  totals: EvalTotals;
}

/** No run's latent is this wide (the CLI's own bound on `--latent`). */
const MAX_LATENT = 100_000;
/** Far above any real file (two numbers per latent dimension): a bigger one is not read. */
const MAX_BYTES = 16 << 20;

const finite = z.number().finite();
const settingsSchema = z.strictObject({
  runId: z.string().max(64),
  checkpoint: z.enum(['last', 'best']),
  step: z.number().int().min(0),
  examples: z.number().int().min(1),
  k: z.number().int().min(1),
  batchSize: z.number().int().min(1),
  chunk: z.number().int().min(1),
  seed: finite,
  backend: z.string().max(64),
});
const fileSchema = z.strictObject({
  settings: settingsSchema,
  batches: z.number().int().min(1),
  seconds: finite.min(0),
  totals: z.strictObject({
    reconstruction: finite,
    kl: finite,
    logLikelihood: finite,
    shift: z.strictObject({ elbo: finite, logLikelihood: finite }).nullable(),
    elboSquares: finite.min(0),
    logLikelihoodSquares: finite.min(0),
    mean: z.array(finite).max(MAX_LATENT),
    square: z.array(finite.min(0)).max(MAX_LATENT),
  }),
});

/** The fields of two settings that differ, by name. */
function differences(saved: EvalSettings, wanted: EvalSettings): string[] {
  return (Object.keys(wanted) as (keyof EvalSettings)[])
    .filter((key) => saved[key] !== wanted[key])
    .map((key) => `${key} ${JSON.stringify(saved[key])} there, ${JSON.stringify(wanted[key])} now`);
}

/**
 * The progress of an earlier, unfinished evaluation with these settings, or why
 * there is none to go on from (`reason` undefined: no file).
 *
 * @param path - eval.progress.json of the run.
 * @param wanted - This command's settings; all must match the file's.
 * @param latent - The model's latent size (the length of the per-dimension sums).
 */
export async function readEvalProgress(
  path: string,
  wanted: EvalSettings,
  latent: number,
): Promise<{ progress: EvalProgress } | { progress: undefined; reason: string | undefined }> {
  let found: SmallText;
  try {
    found = await readSmallText(path, MAX_BYTES);
  } catch (error) {
    return { progress: undefined, reason: (error as Error).message };
  }
  if (found.problem === 'missing') return { progress: undefined, reason: undefined };
  if (found.problem !== undefined) {
    return {
      progress: undefined,
      reason:
        found.problem === 'too-large'
          ? `it is larger than ${MAX_BYTES} bytes`
          : 'it is not a regular file',
    };
  }
  const { text } = found;
  let parsed: z.infer<typeof fileSchema>;
  try {
    const result = fileSchema.safeParse(JSON.parse(text));
    if (!result.success) {
      const issue = result.error.issues[0]!;
      return { progress: undefined, reason: `${issue.path.join('.') || 'it'}: ${issue.message}` };
    }
    parsed = result.data;
  } catch {
    return { progress: undefined, reason: 'it is not JSON' };
  }
  const changed = differences(parsed.settings, wanted);
  if (changed.length > 0) {
    return { progress: undefined, reason: `it was made with ${changed.join('; ')}` };
  }
  const { totals } = parsed;
  const scored = Math.min(parsed.batches * wanted.batchSize, wanted.examples);
  if (
    totals.mean.length !== latent ||
    totals.square.length !== latent ||
    scored >= wanted.examples ||
    totals.shift === null
  ) {
    return { progress: undefined, reason: 'its sums do not fit this run' };
  }
  return {
    progress: {
      batches: parsed.batches,
      seconds: parsed.seconds,
      totals: {
        ...totals,
        shift: totals.shift, // not null: checked above
        mean: Float64Array.from(totals.mean),
        square: Float64Array.from(totals.square),
      },
    },
  };
}

/** Writes the progress after a batch (atomically: a kill leaves the last complete file). */
export async function writeEvalProgress(
  path: string,
  settings: EvalSettings,
  progress: EvalProgress,
): Promise<void> {
  const { totals } = progress;
  const file = {
    settings,
    batches: progress.batches,
    seconds: progress.seconds,
    totals: {
      ...totals,
      shift: totals.shift ?? null,
      mean: Array.from(totals.mean),
      square: Array.from(totals.square),
    },
  };
  await writeFileAtomic(path, `${JSON.stringify(file)}\n`, { durable: false });
}

/** Removes the progress file once eval.json holds the result. */
export async function removeEvalProgress(path: string): Promise<void> {
  await rm(path, { force: true });
}
