// clock.json: the wall-clock seconds a run has trained, over every invocation,
// as of its last checkpoint, so a resumed run's metrics.jsonl continues the
// time axis of the time-to-quality plot where the interrupted one stopped.
import { writeFileAtomic } from '@vae/divergence/node';
import type { EpochMetrics, RunPaths } from '../internal/run-folder.js';
import { readSmallJsonIfAny } from '../internal/small-file.js';

/** What clock.json holds: the training seconds of the run when the checkpoint of `step` was written. */
interface ClockFile {
  step: number;
  elapsed: number;
}

/**
 * Training seconds of the run before this invocation: clock.json's when it is
 * of the checkpoint being resumed (`step`), else the last kept epoch line's
 * (a kill between a checkpoint and its clock), else 0.
 */
export async function elapsedBefore(
  paths: RunPaths,
  step: number | undefined,
  history: readonly EpochMetrics[],
): Promise<number> {
  if (step === undefined) return 0;
  // Missing or damaged: fall back on metrics.jsonl.
  const clock = (await readSmallJsonIfAny(paths.clock, 4096)) as Partial<ClockFile> | undefined;
  if (
    clock?.step === step &&
    typeof clock.elapsed === 'number' &&
    Number.isFinite(clock.elapsed) &&
    clock.elapsed >= 0
  ) {
    return clock.elapsed;
  }
  return history.at(-1)?.elapsed ?? 0;
}

/** Records the training seconds at the checkpoint of `step`. */
export async function writeClock(paths: RunPaths, clock: ClockFile): Promise<void> {
  await writeFileAtomic(paths.clock, `${JSON.stringify(clock)}\n`, { durable: false });
}
