import { resolve } from 'node:path';
import { type BackendRequest, useBackend } from '@vae/backends';
import type { VAE } from '@vae/nn';
import type { CheckpointChoice } from '../commands/common-options.js';
import { describeBackend } from './backend-options.js';
import { CliError } from './errors.js';
import { buildModel } from './model.js';
import type { Reporter } from './reporter.js';
import { requireBestCheckpoint, requireRunCheckpoint, restoreRunModel } from './run-checkpoint.js';
import { type DataSpec, type RunConfig, readRunConfig } from './run-config.js';
import { describeData, describeSplits, loadRunData, type RunData } from './run-data.js';
import { type RunPaths, runPaths } from './run-folder.js';
import { lockRun, type RunLock } from './run-lock.js';

/** A trained run opened for reading: its config, test data and restored model. */
export interface OpenRun {
  paths: RunPaths;
  config: RunConfig;
  data: RunData;
  model: VAE;
  /** The training step of the checkpoint the model's weights come from. */
  checkpointStep: number;
  /** Held when the command writes into the run folder; released by `close`. */
  lock: RunLock | undefined;
  close(): Promise<void>;
}

/**
 * Opens a run folder for `eval`, `sample` or `gaussian --vae-run`: checks config.json
 * and the checkpoint (decoded, of this run) before anything else, takes the run's
 * lock when the command will write into it, loads the run's test split (its first
 * `testLimit` examples), starts the backend and restores the model by name.
 */
export async function openRun(
  run: string,
  options: {
    command: string;
    reporter: Reporter;
    backend: BackendRequest;
    threads: number;
    testLimit?: number;
    mnistDir?: string;
    lock: boolean;
    /** The last checkpoint (default) or best.ckpt. */
    checkpoint?: CheckpointChoice;
  },
): Promise<OpenRun> {
  const { command, reporter } = options;
  const paths = runPaths(resolve(run));
  const config = await readRunConfig(paths, command);
  const lock = options.lock ? await lockRun(paths.directory, command) : undefined;
  try {
    const which = options.checkpoint ?? 'last';
    const checkpoint =
      which === 'best'
        ? await requireBestCheckpoint(paths, config, command)
        : await requireRunCheckpoint(paths, config, command);
    const spec: DataSpec =
      config.data.source === 'mnist' && options.mnistDir !== undefined
        ? { source: 'mnist', directory: resolve(options.mnistDir) }
        : config.data;
    const data = await reporter.phase(
      `loading the test split of ${describeData(spec)}`,
      () =>
        loadRunData(spec, {
          wantTrain: false,
          ...(options.testLimit === undefined ? {} : { testLimit: options.testLimit }),
        }),
      (loaded) => describeSplits(loaded, false),
    );
    if (data.itemShape.join() !== config.itemShape.join()) {
      throw new CliError(
        `${command}: the run was trained on examples of shape [${config.itemShape.join(', ')}], but ${describeData(spec)} now gives [${data.itemShape.join(', ')}]`,
      );
    }
    await reporter.phase(
      `starting the ${options.backend} backend`,
      () => useBackend(options.backend, { threads: options.threads }),
      (info) => describeBackend(info, reporter),
    );
    const model = buildModel(config, paths.config);
    try {
      restoreRunModel(model, checkpoint, which === 'best' ? paths.best : paths.checkpoint);
      if (which === 'best') {
        reporter.info(`using best.ckpt: the weights after epoch ${checkpoint.state.epoch}`);
      }
    } catch (error) {
      model.dispose();
      throw error;
    }
    return {
      paths,
      config,
      data,
      model,
      checkpointStep: checkpoint.state.step,
      lock,
      async close() {
        model.dispose();
        await lock?.release();
      },
    };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}
