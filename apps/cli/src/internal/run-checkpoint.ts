import { existsSync } from 'node:fs';
import { VaeError } from '@vae/divergence';
import type { VAE } from '@vae/nn';
import { type Checkpoint, restoreModel } from '@vae/trainer';
import { fileCheckpointStore } from '@vae/trainer/node';
import { CliError } from './errors.js';

import type { RunConfig } from './run-config.js';
import type { RunPaths } from './run-folder.js';

/**
 * Reads a run's checkpoint (`checkpoint.ckpt`, or `.prev` when a kill came
 * between the two renames of a save), decoded and checked (@vae/trainer bounds
 * its header), and checks it belongs to this run: a checkpoint copied in from
 * another run is refused. `undefined` when the run has none yet.
 */
export async function loadRunCheckpoint(
  paths: RunPaths,
  config: RunConfig,
  command: string,
): Promise<Checkpoint | undefined> {
  let checkpoint: Checkpoint | undefined;
  try {
    checkpoint = await fileCheckpointStore(paths.checkpoint).load();
  } catch (error) {
    if (VaeError.isInstance(error) && error.code === 'CHECKPOINT_CORRUPT') {
      const cause = (error.cause as Error | undefined)?.message ?? error.message;
      const previous = existsSync(paths.previousCheckpoint)
        ? `the previous checkpoint, an epoch older, is ${paths.previousCheckpoint} (move it over checkpoint.ckpt to use it)`
        : 'there is no previous checkpoint';
      throw new CliError(`${command}: ${cause.replace(/^decodeCheckpoint: /, '')}; ${previous}`);
    }
    throw error;
  }
  if (checkpoint === undefined) return undefined;
  const owner = checkpoint.state.runId;
  if (owner !== config.runId) {
    throw new CliError(
      `${command}: ${paths.checkpoint} belongs to ${owner === undefined ? 'no run (it has no run id)' : `run ${owner}`}, not to the run of ${paths.config} (${config.runId}); was it copied from another run folder?`,
    );
  }
  return checkpoint;
}

/** best.ckpt, the checkpoint with the best validation bound, checked like the last one. */
export async function requireBestCheckpoint(
  paths: RunPaths,
  config: RunConfig,
  command: string,
): Promise<Checkpoint> {
  if (!existsSync(paths.best)) {
    throw new CliError(
      config.validation === undefined
        ? `${command}: ${paths.directory} has no best.ckpt: the run was trained without --validation, so there is no validation bound to pick by; use --checkpoint last`
        : `${command}: ${paths.directory} has no best.ckpt yet (no validation bound was evaluated); use --checkpoint last`,
    );
  }
  let checkpoint: Checkpoint | undefined;
  try {
    checkpoint = await fileCheckpointStore(paths.best).load();
  } catch (error) {
    if (VaeError.isInstance(error) && error.code === 'CHECKPOINT_CORRUPT') {
      const cause = (error.cause as Error | undefined)?.message ?? error.message;
      throw new CliError(
        `${command}: ${cause.replace(/^decodeCheckpoint: /, '')} (${paths.best}); use --checkpoint last`,
      );
    }
    throw error;
  }
  if (checkpoint === undefined || checkpoint.state.runId !== config.runId) {
    throw new CliError(
      `${command}: ${paths.best} does not belong to the run of ${paths.config} (${config.runId}); use --checkpoint last`,
    );
  }
  return checkpoint;
}

/** Like {@link loadRunCheckpoint}, for commands that need one. */
export async function requireRunCheckpoint(
  paths: RunPaths,
  config: RunConfig,
  command: string,
): Promise<Checkpoint> {
  const checkpoint = await loadRunCheckpoint(paths, config, command);
  if (checkpoint === undefined) {
    throw new CliError(
      `${command}: ${paths.directory} has no checkpoint yet (its training never saved one); continue it with \`train --out ${paths.directory} --resume\``,
    );
  }
  return checkpoint;
}

/** Restores the checkpoint's weights into a freshly built model, strictly by name. */
export function restoreRunModel(model: VAE, checkpoint: Checkpoint, source: string): void {
  restoreModel(model, checkpoint, { source });
}
