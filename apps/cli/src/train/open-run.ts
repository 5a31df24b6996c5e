// Opening a run folder for `vae train`, new or resumed. Everything is checked
// before anything is written: the flags, the folder (writable, free or an
// abandoned run, unlocked), config.json against its schema, the checkpoint
// (decoded, of this run, restored into a freshly built model) and the data. A
// failed resume leaves config.json and metrics.jsonl as they were.
import { resolve } from 'node:path';
import { useBackend } from '@vae/backends';
import { writeFileAtomic } from '@vae/divergence/node';
import type { VAE } from '@vae/nn';
import type { Checkpoint } from '@vae/trainer';
import type { TrainOptions } from '../commands/train.js';
import { parameterCount } from '../internal/architecture.js';
import { describeBackend } from '../internal/backend-options.js';
import { CliError } from '../internal/errors.js';
import { count, plural } from '../internal/format.js';
import { buildModel, describeModel } from '../internal/model.js';
import type { Reporter } from '../internal/reporter.js';
import { loadRunCheckpoint, restoreRunModel } from '../internal/run-checkpoint.js';
import { configText, type RunConfig, readRunConfig } from '../internal/run-config.js';
import {
  describeData,
  describeSplits,
  holdOutValidation,
  loadRunData,
  parseDataArgument,
  type RunData,
} from '../internal/run-data.js';
import { clearUnstartedRun, folderState, type RunPaths, runPaths } from '../internal/run-folder.js';
import { lockRun, type RunLock } from '../internal/run-lock.js';
import { ensureWritableFolder } from '../internal/writable.js';

/** A run folder opened for training: locked, with its data, model and (resumed) checkpoint. */
export interface TrainingSession {
  paths: RunPaths;
  config: RunConfig;
  data: RunData;
  model: VAE;
  lock: RunLock;
  checkpoint: Checkpoint | undefined;
  /** The config to write once `fit` has resumed (a resume that extends the run). */
  pendingConfig?: RunConfig;
}

function defaultOut(cwd: string): string {
  return resolve(cwd, 'runs', new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19));
}

/** Options other than --epochs (and the data-independent ones) that --resume ignores. */
const RESUME_KEEPS = new Set([
  'epochs',
  'hours',
  'stopAtStep',
  'out',
  'resume',
  'backend',
  'threads',
  'quiet',
  'verbose',
]);

async function loadData(
  reporter: Reporter,
  config: Pick<RunConfig, 'data'> & { limit?: number | undefined; testLimit?: number | undefined },
): Promise<RunData> {
  return reporter.phase(
    `loading ${describeData(config.data)}`,
    () =>
      loadRunData(config.data, {
        ...(config.limit === undefined ? {} : { limit: config.limit }),
        ...(config.testLimit === undefined ? {} : { testLimit: config.testLimit }),
      }),
    (data) => describeSplits(data),
  );
}

async function startBackend(options: TrainOptions, reporter: Reporter): Promise<void> {
  await reporter.phase(
    `starting the ${options.backend} backend`,
    () => useBackend(options.backend, { threads: options.threads }),
    (info) => describeBackend(info, reporter),
  );
}

/** Room a run needs on disk: its checkpoint and the previous one, the model file, pictures. */
function bytesNeeded(config: RunConfig): number {
  return parameterCount(config) * 4 * 4 + 16 * 2 ** 20;
}

function build(config: RunConfig, reporter: Reporter): VAE {
  const model = buildModel(config, 'train');
  reporter.info(`model: ${describeModel(config, parameterCount(config))}`);
  return model;
}

/** A new run in `--out` (or runs/<date-time>): the folder must be free or hold an abandoned run. */
export async function openNewRun(
  options: TrainOptions,
  reporter: Reporter,
): Promise<TrainingSession> {
  const directory = options.out === undefined ? defaultOut(reporter.io.cwd) : resolve(options.out);
  const spec = parseDataArgument(options.data, {
    ...(options.side === undefined ? {} : { side: options.side }),
    channels: options.grey ? 1 : 3,
    ...(options.testFraction === undefined ? {} : { testFraction: options.testFraction }),
    ...(options.mnistDir === undefined ? {} : { mnistDir: options.mnistDir }),
  });
  const state = await folderState(directory);
  if (state === 'run') {
    throw new CliError(
      `train: ${directory} already holds a run; pass --resume to continue it or choose another --out`,
    );
  }
  if (state === 'occupied') {
    throw new CliError(
      `train: ${directory} holds files that are not a vae run; choose another --out (nothing was changed)`,
    );
  }
  await ensureWritableFolder(directory, { command: 'train' });
  const lock = await lockRun(directory, 'train');
  const created = state === 'free';
  try {
    if (state === 'unstarted') {
      reporter.info(`${directory} holds a run that never saved a checkpoint: starting it over`);
    }
    const loaded = await loadData(reporter, {
      data: spec,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      ...(options.testLimit === undefined ? {} : { testLimit: options.testLimit }),
    });
    const { newRunConfig } = await import('./new-config.js');
    const config = newRunConfig(options, spec, loaded);
    const data = holdOutValidation(loaded, config.validation);
    await ensureWritableFolder(directory, { command: 'train', needBytes: bytesNeeded(config) });
    await startBackend(options, reporter);
    const model = build(config, reporter);
    const paths = runPaths(directory);
    try {
      if (state === 'unstarted') await clearUnstartedRun(directory);
      await writeFileAtomic(paths.config, configText(config));
    } catch (error) {
      model.dispose();
      throw error;
    }
    reporter.info(`run folder: ${directory} (run ${config.runId})`);
    return { paths, config, data, model, lock, checkpoint: undefined };
  } catch (error) {
    await lock.release();
    if (created) await removeIfOnlyOurs(directory);
    throw error;
  }
}

/** A folder this command created for nothing goes again (the lock is already released). */
async function removeIfOnlyOurs(directory: string): Promise<void> {
  const { readdir, rmdir } = await import('node:fs/promises');
  const names = await readdir(directory).catch(() => ['?']);
  if (names.length === 0) await rmdir(directory).catch(() => undefined);
}

/** Refuses an --epochs that would train nothing, before anything is written. */
function epochsToTrain(
  options: TrainOptions,
  config: RunConfig,
  checkpoint: Checkpoint | undefined,
) {
  const epochs = options.epochs ?? config.epochs;
  const reached = checkpoint?.state.epoch ?? 0;
  if (epochs <= reached) {
    const finished = checkpoint?.state.history.length ?? 0;
    const already =
      options.epochs === undefined
        ? `has already finished its ${plural(finished, 'epoch')}`
        : `has finished ${plural(finished, 'epoch')}; --epochs ${epochs} would train nothing`;
    throw new CliError(
      `train: the run ${already} (pass --epochs ${reached + 1} or more to train longer); nothing was changed`,
    );
  }
  return epochs;
}

/** Checks the data against what the checkpoint was trained on. */
function checkSameData(checkpoint: Checkpoint, data: RunData, paths: RunPaths): void {
  if (checkpoint.state.dataSize !== data.train.size) {
    throw new CliError(
      `train: ${paths.checkpoint} was trained on ${count(checkpoint.state.dataSize)} examples, but the run's data now has ${count(data.train.size)}; the data changed since, so the run cannot be continued`,
    );
  }
}

/** `--resume`: the run in `--out`, from its last checkpoint (or from the start when it has none). */
export async function openResumedRun(
  options: TrainOptions,
  reporter: Reporter,
): Promise<TrainingSession> {
  if (options.out === undefined) throw new CliError('train: --resume needs --out <run folder>');
  const paths = runPaths(resolve(options.out));
  const saved = await readRunConfig(paths, 'train');
  const ignored = (options.given ?? []).filter((name) => !RESUME_KEEPS.has(name));
  if (ignored.length > 0) {
    reporter.info(
      `ignoring ${ignored.map((name) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')} with --resume: the run's config.json decides`,
    );
  }
  const lock = await lockRun(paths.directory, 'train');
  try {
    const checkpoint = await loadRunCheckpoint(paths, saved, 'train');
    const epochs = epochsToTrain(options, saved, checkpoint);
    const config: RunConfig = { ...saved, epochs };
    const data = holdOutValidation(await loadData(reporter, config), config.validation);
    if (checkpoint !== undefined) checkSameData(checkpoint, data, paths);
    await startBackend(options, reporter);
    const model = build(config, reporter);
    if (checkpoint !== undefined) {
      try {
        restoreRunModel(model, checkpoint, paths.checkpoint);
      } catch (error) {
        model.dispose();
        throw error;
      }
    } else {
      reporter.info(`${paths.directory} has no checkpoint yet: training the run from its start`);
    }
    return {
      paths,
      config,
      data,
      model,
      lock,
      checkpoint,
      ...(epochs === saved.epochs ? {} : { pendingConfig: config }),
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
