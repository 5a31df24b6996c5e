import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@vae/backends';
import { linearWarmup } from '@vae/elbo';
import { fit, type TrainingEvent, tensorData } from '@vae/trainer';
import { Command, Option } from 'commander';
import { type BackendChoice, backendOption, threadsOption } from '../internal/backend-options.js';
import { checkpointStore } from '../internal/checkpoint-file.js';
import { CliError } from '../internal/errors.js';
import { exportModel } from '../internal/export-model.js';
import { mnistDirectoryOption, testImages, trainingSource } from '../internal/mnist.js';
import { buildModel, type CliModel, negativeElbo } from '../internal/model.js';
import { writeOutputs } from '../internal/outputs.js';
import {
  nonNegativeInteger,
  nonNegativeNumber,
  positiveInteger,
  positiveNumber,
  widthList,
} from '../internal/parse.js';
import { createProgress } from '../internal/progress.js';
import {
  appendMetrics,
  createRunFolder,
  type EpochMetrics,
  ensureFreeFolder,
  type RunConfig,
  type RunPaths,
  readMetrics,
  readRunConfig,
  runPaths,
  writeAtomic,
  writeMetrics,
} from '../internal/run-folder.js';

/** Default epochs: about two minutes on this machine's wasm backend (see the README). */
export const DEFAULT_EPOCHS = 10;
const MNIST_TRAIN_SIZE = 60_000;

interface TrainOptions extends BackendChoice {
  preset: 'mlp' | 'conv';
  latent: number;
  hidden?: number[];
  epochs?: number;
  batchSize: number;
  lr: number;
  beta: number;
  warmup: number;
  seed: number;
  out?: string;
  resume: boolean;
  limit: number;
  testLimit?: number;
  quiet: boolean;
  mnistDir?: string;
}

/** `vae train`: options, help and the action. */
export function trainCommand(): Command {
  return new Command('train')
    .description('train a VAE on dynamically binarized MNIST and write a run folder')
    .addOption(
      new Option('--preset <name>', 'architecture').choices(['mlp', 'conv']).default('mlp'),
    )
    .option('--latent <n>', 'latent dimensions', positiveInteger, 20)
    .option(
      '--hidden <widths>',
      "hidden layer widths of the mlp preset, e.g. 512,256 (default: the preset's 400)",
      widthList,
    )
    .option(
      '--epochs <n>',
      `epochs (default ${DEFAULT_EPOCHS}; with --resume: the run's)`,
      positiveInteger,
    )
    .option('--batch-size <n>', 'examples per batch', positiveInteger, 128)
    .option('--lr <rate>', 'Adam learning rate', positiveNumber, 2e-3)
    .option('--beta <beta>', 'weight of the KL term (beta-VAE)', nonNegativeNumber, 1)
    .option(
      '--warmup <epochs>',
      'linear KL warm-up from 0 to beta over this many epochs',
      nonNegativeNumber,
      0,
    )
    .addOption(backendOption('auto: the fastest available, wasm here'))
    .addOption(threadsOption())
    .option(
      '--seed <n>',
      'seed of initialization, shuffling and binarization',
      nonNegativeInteger,
      0,
    )
    .option('--out <dir>', 'run folder (default runs/<date-time>)')
    .option('--resume', 'continue the run in --out from its last checkpoint', false)
    .addOption(
      new Option('--limit <n>', 'train on the first n MNIST training images')
        .argParser(positiveInteger)
        .default(MNIST_TRAIN_SIZE)
        .env('VAE_MNIST_LIMIT'),
    )
    .addOption(
      new Option('--test-limit <n>', 'evaluate on the first n test images (default all 10,000)')
        .argParser(positiveInteger)
        .env('VAE_MNIST_TEST_LIMIT'),
    )
    .addOption(mnistDirectoryOption())
    .option('--quiet', 'one line per epoch instead of a progress bar', false)
    .action(async (options: TrainOptions) => {
      await train(options);
    });
}

function defaultOut(): string {
  return resolve('runs', new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19));
}

/** The run's config: the saved one (with a new epoch count) for --resume, else from the options. */
async function resolveConfig(options: TrainOptions): Promise<RunConfig> {
  if (options.resume) {
    const saved = await readRunConfig(options.out!, 'train');
    return { ...saved, epochs: options.epochs ?? saved.epochs };
  }
  return {
    format: 'vae-run',
    version: 1,
    preset: options.preset,
    latent: options.latent,
    ...(options.hidden === undefined ? {} : { hidden: options.hidden }),
    epochs: options.epochs ?? DEFAULT_EPOCHS,
    batchSize: options.batchSize,
    learningRate: options.lr,
    beta: options.beta,
    warmup: options.warmup,
    seed: options.seed,
    limit: Math.min(options.limit, MNIST_TRAIN_SIZE),
    binarize: 'dynamic',
  };
}

async function train(options: TrainOptions): Promise<void> {
  // Refuse before any slow work: nothing on disk is touched until the data has loaded.
  if (options.resume && options.out === undefined) {
    throw new CliError('train: --resume needs --out <run folder>');
  }
  if (!options.resume && options.out !== undefined) await ensureFreeFolder(options.out);
  const config = await resolveConfig(options);
  const backend = await useBackend(options.backend, { threads: options.threads });
  const source = await trainingSource({
    limit: config.limit,
    seed: config.seed,
    directory: options.mnistDir,
  });
  const test = await testImages(options.testLimit, options.mnistDir);
  let paths: RunPaths;
  if (options.resume) {
    paths = runPaths(options.out!);
    await writeAtomic(paths.config, `${JSON.stringify(config, null, 2)}\n`);
  } else {
    paths = await createRunFolder(options.out ?? defaultOut(), config);
  }
  const model = buildModel(config);
  try {
    log(options, `backend ${backend.name}; run folder ${paths.directory}`);
    await trainModel({ model, config, paths, source, testX: test.x, options });
  } finally {
    test.x.dispose();
    model.dispose();
  }
}

function log(options: TrainOptions, line: string): void {
  if (!options.quiet) process.stderr.write(`${line}\n`);
}

async function trainModel(context: {
  model: CliModel;
  config: RunConfig;
  paths: RunPaths;
  source: Awaited<ReturnType<typeof trainingSource>>;
  testX: tf.Tensor2D;
  options: TrainOptions;
}): Promise<void> {
  const { model, config, paths, source, testX, options } = context;
  const store = checkpointStore(paths.checkpoint);
  const saved = options.resume ? await store.load() : undefined;
  if (options.resume && saved === undefined) {
    throw new CliError(`train: ${paths.directory} has no checkpoint to resume from`);
  }
  const completed = saved?.state.history.length ?? 0;
  const history = (await readMetrics(paths.metrics)).filter((line) => line.epoch < completed);
  await writeMetrics(paths.metrics, history);

  const batchesPerEpoch = Math.ceil(source.size / config.batchSize);
  // KL warm-up: beta rises linearly from 0 over `warmup` epochs (linearWarmup of @vae/elbo).
  const warmup =
    config.warmup > 0 ? linearWarmup({ steps: config.warmup * batchesPerEpoch }) : () => 1;
  const betaAt = (step: number) => config.beta * warmup(step + 1);
  const progress = createProgress({
    epochs: config.epochs,
    batches: batchesPerEpoch,
    quiet: options.quiet,
  });
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(
      '\nvae: stopping after this batch and saving a checkpoint (Ctrl-C again to quit now)\n',
    );
    controller.abort();
  };
  process.on('SIGINT', onSigint);

  const onEvent = async (event: TrainingEvent) => {
    if (event.type === 'batch') {
      if (event.batch === 0) progress.startEpoch(event.epoch, batchesPerEpoch);
      progress.update(event.batch, {
        elbo: event.metrics.elbo ?? -event.loss,
        kl: event.metrics.kl ?? Number.NaN,
        speed: event.samplesPerSecond,
      });
    } else if (event.type === 'epoch') {
      const line: EpochMetrics = {
        epoch: event.epoch,
        step: event.step,
        trainLoss: event.loss,
        ...(event.validationLoss === undefined ? {} : { testLoss: event.validationLoss }),
        ...(event.metrics?.kl === undefined ? {} : { trainKl: event.metrics.kl }),
        ...(event.metrics === undefined ? {} : { train: event.metrics }),
        ...(event.validationMetrics === undefined ? {} : { test: event.validationMetrics }),
        beta: betaAt(event.step - 1),
        samplesPerSecond: event.samplesPerSecond,
        seconds: event.seconds,
      };
      history.push(line);
      await appendMetrics(paths.metrics, line);
    }
  };

  const started = Date.now();
  let result: Awaited<ReturnType<typeof fit>>;
  try {
    result = await fit(model, source, {
      loss: (x, { step, seed }) => negativeElbo(model, x, { beta: betaAt(step), seed }),
      validationData: tensorData(testX),
      validationLoss: (x, { seed }) => negativeElbo(model, x, { beta: 1, seed }),
      validationBatchSize: 500,
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed,
      learningRate: config.learningRate,
      nanGuard: 'stop',
      signal: controller.signal,
      onEvent,
      checkpoint: { store, resume: options.resume },
      yieldEvery: 4,
    });
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
  }
  const seconds = (Date.now() - started) / 1000;
  if (result.stopped?.reason === 'aborted') {
    process.stderr.write(
      `vae: stopped at epoch ${result.epochs + 1}, step ${result.steps}; checkpoint saved; continue with: vae train --out ${paths.directory} --resume\n`,
    );
    process.exitCode = 130;
    return;
  }
  if (result.stopped?.reason === 'diverged') {
    const kept = existsSync(paths.checkpoint)
      ? `the last good checkpoint is kept in ${paths.checkpoint}`
      : 'no checkpoint had been written yet';
    throw new CliError(`train: ${result.stopped.message}; stopped, ${kept} (try a lower --lr)`);
  }
  await writeOutputs({ model, paths, testX, history, seed: config.seed });
  await exportModel(model, paths.model);
  const last = history.at(-1);
  const testElbo = last?.testLoss === undefined ? Number.NaN : -last.testLoss;
  process.stdout.write(
    `test ELBO ${testElbo.toFixed(2)} nats (negative ELBO ${(-testElbo).toFixed(2)}) after ${result.epochs} epochs, ${seconds.toFixed(0)} s; run folder ${paths.directory}\n`,
  );
}
