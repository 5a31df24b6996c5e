import { writeFileAtomic } from '@vae/divergence/node';
import { linearWarmup, negativeIwaeLoss } from '@vae/elbo';
import {
  constantWithWarmup,
  cosineDecay,
  type FitOptions,
  fit,
  fitWithinBudget,
  type LearningRateSchedule,
  type StopReason,
  type TrainingEvent,
} from '@vae/trainer';
import { fileCheckpointStore } from '@vae/trainer/node';
import { BUDGET_EPOCHS } from '../commands/train.js';
import { CliError } from '../internal/errors.js';
import { count, duration, fixed, plural } from '../internal/format.js';
import type { Progress } from '../internal/progress.js';
import type { Reporter } from '../internal/reporter.js';
import { configText, type RunConfig } from '../internal/run-config.js';
import {
  bitsPerDimension,
  testSource,
  trainingSource,
  validationSource,
} from '../internal/run-data.js';
import {
  appendMetrics,
  type EpochMetrics,
  readMetrics,
  writeMetrics,
} from '../internal/run-folder.js';
import { negativeElbo } from '../internal/scoring.js';
import type { TrainingSession } from './open-run.js';
import { elapsedBefore, writeClock } from './run-clock.js';
import {
  bestEpoch,
  keepAsBest,
  skippedValidation,
  validationBound,
  withValidation,
} from './validation.js';

/** Test examples per validation batch. */
const VALIDATION_BATCH = 500;

/** What training ended with. */
export interface TrainingOutcome {
  history: EpochMetrics[];
  /** Why training ended early: `fit`'s reasons, or `'step'` at `--stop-at-step`. */
  stopped: { reason: StopReason | 'step'; message: string } | null;
  epochs: number;
  steps: number;
  seconds: number;
}

/**
 * The run's learning rate for `fit`: a number, or a schedule: with `cosine` the
 * decay from `learningRate` to 0 over the run's `epochs` of `batchesPerEpoch`
 * steps, after `learningRateWarmup` steps of linear warm-up from 0 when the run
 * has one (constant runs warm up the same way, then keep the rate).
 */
export function learningRateOf(
  config: Pick<
    RunConfig,
    'learningRate' | 'learningRateSchedule' | 'learningRateWarmup' | 'epochs'
  >,
  batchesPerEpoch: number,
): number | LearningRateSchedule {
  const warmupSteps = config.learningRateWarmup ?? 0;
  if (config.learningRateSchedule === 'cosine') {
    return cosineDecay({
      initial: config.learningRate,
      totalSteps: config.epochs * batchesPerEpoch,
      warmupSteps,
    });
  }
  if (warmupSteps === 0) return config.learningRate;
  return constantWithWarmup({ initial: config.learningRate, warmupSteps });
}

/** Ctrl-C (and SIGTERM) stop after the current batch with a checkpoint; a second one quits at once. */
function interruptions(reporter: Reporter): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let count = 0;
  const onSignal = () => {
    count += 1;
    if (count > 1) process.exit(130);
    reporter.always(
      '\nstopping after this batch and saving a checkpoint (Ctrl-C again to quit now)',
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** The epoch summary line: the epoch's mean train ELBO and KL, and the test ELBO after it. */
function epochLine(
  line: EpochMetrics,
  context: { epochs: number; session: TrainingSession; best: boolean },
): string {
  const { config, data } = context.session;
  const train = line.train?.elbo ?? -line.trainLoss;
  const kl = line.train?.kl ?? line.trainKl;
  const test = line.test?.elbo ?? (line.testLoss === undefined ? undefined : -line.testLoss);
  const bits =
    test === undefined
      ? ''
      : `, ${bitsPerDimension(test, config, data.eightBit).toFixed(4)} bits/dim`;
  const validation =
    line.validation === undefined
      ? line.validationSkipped === true
        ? ', validation bound cut short (a --resume evaluates it)'
        : ''
      : `, validation IWAE(k=${line.validation.k}) ${fixed(line.validation.iwae)}${context.best ? ' (best)' : ''}`;
  const trained =
    line.train?.iwae === undefined
      ? `train ELBO ${fixed(train)} (KL ${fixed(kl)})`
      : `train IWAE(k=${config.trainK}) ${fixed(line.train.iwae)} (ELBO ${fixed(train)})`;
  return (
    `${epochLabel(line.epoch, context.epochs)}: ${trained}, ` +
    `test ELBO ${fixed(test)} nats${bits}${validation} | ${duration(line.seconds)}, ${count(line.samplesPerSecond)} samples/s`
  );
}

/** "epoch 3/10"; "epoch 3" for a run that trains as long as its --hours allow. */
export function epochLabel(epoch: number, epochs: number): string {
  return epochs >= BUDGET_EPOCHS ? `epoch ${epoch + 1}` : `epoch ${epoch + 1}/${epochs}`;
}

/**
 * Trains the session's model with `fit`: checkpoints every epoch (atomic, with
 * the run id), the metrics of every epoch appended to metrics.jsonl, a progress
 * bar per epoch and a summary line after it. A resumed run writes its extended
 * config.json and trims metrics.jsonl only once `fit` has restored the
 * checkpoint, so a resume that fails leaves both untouched.
 */
export async function trainModel(
  session: TrainingSession,
  reporter: Reporter,
  options: { hours?: number | undefined; stopAtStep?: number | undefined } = {},
): Promise<TrainingOutcome> {
  const { model, config, paths, data, checkpoint } = session;
  const { stopAtStep } = options;
  const resumedStep = checkpoint?.state.step ?? 0;
  if (stopAtStep !== undefined && resumedStep >= stopAtStep) {
    throw new CliError(
      `train: --stop-at-step ${stopAtStep}: the run in ${paths.directory} has already trained ${count(resumedStep)} steps; give a later step, or none`,
    );
  }
  const source = trainingSource(data, config);
  const test = testSource(data, config);
  const heldOut = validationSource(data, config);
  const batches = Math.ceil(source.size / config.batchSize);
  const completed = checkpoint?.state.history.length ?? 0;
  const saved = await readMetrics(paths.metrics, 'train');
  const history = saved.filter((line) => line.epoch < completed);
  const warmup = config.warmup > 0 ? linearWarmup({ steps: config.warmup * batches }) : () => 1;
  const betaAt = (step: number) => config.beta * warmup(step + 1);

  const before = await elapsedBefore(paths, checkpoint?.state.step, history);
  const skipped = heldOut === undefined ? undefined : skippedValidation(history, checkpoint?.state);
  if (skipped !== undefined && heldOut !== undefined) {
    const bound = await reporter.phase(
      `validation bound of epoch ${skipped.epoch + 1}, cut short by the last stop`,
      () => validationBound(model, heldOut, { k: config.iwaeK ?? 1, seed: config.seed }),
    );
    if (bound !== undefined) history[history.length - 1] = withValidation(skipped, bound);
  }
  const caughtUp = skipped !== undefined;
  let best = bestEpoch(history);
  // The epoch whose checkpoint becomes best.ckpt once it is written.
  let pendingBest: number | undefined;
  // The checkpoint resumed from is the best epoch's: copy it again, in case a
  // kill came between writing it and copying it.
  const recopyBest =
    best !== undefined &&
    checkpoint?.state.batchInEpoch === 0 &&
    checkpoint.state.epoch === best.epoch + 1;
  if (heldOut !== undefined) {
    reporter.info(
      `validation: the last ${count(heldOut.size)} training images, importance-weighted bound with k = ${config.iwaeK} after every ${plural(config.validateEvery ?? 1, 'epoch')}; the best is kept as best.ckpt`,
    );
  }

  if (checkpoint !== undefined) {
    const { epoch, batchInEpoch, step } = checkpoint.state;
    reporter.info(
      `resuming at ${epochLabel(epoch, config.epochs)}, batch ${batchInEpoch}/${batches} (step ${count(step)}; ${plural(completed, 'epoch')} done)`,
    );
  }
  let resumed = false;
  const confirmResume = async () => {
    if (resumed) return;
    resumed = true;
    if (session.pendingConfig !== undefined) {
      await writeFileAtomic(paths.config, configText(session.pendingConfig));
    }
    if (saved.length !== history.length || caughtUp) await writeMetrics(paths.metrics, history);
    if (recopyBest) await keepAsBest(paths);
  };

  let progress: Progress | undefined;
  let barEpoch = -1;
  let started = performance.now();
  const stop = interruptions(reporter);
  // --stop-at-step: fit stops after the batch that reaches the step, as on Ctrl-C.
  const atStep = new AbortController();
  const signal =
    stopAtStep === undefined ? stop.signal : AbortSignal.any([stop.signal, atStep.signal]);
  const onEvent = async (event: TrainingEvent) => {
    await confirmResume();
    if (event.type === 'batch' && stopAtStep !== undefined && event.step >= stopAtStep) {
      atStep.abort();
    }
    if (event.type === 'batch') {
      if (event.epoch !== barEpoch) {
        progress?.stop();
        barEpoch = event.epoch;
        progress = reporter.progress({
          label: epochLabel(event.epoch, config.epochs),
          total: batches,
          unit: 'batches',
          start: event.batch,
          finalLine: false,
        });
      }
      progress?.update(event.batch + 1, {
        ELBO: fixed(event.metrics.elbo ?? -event.loss),
        KL: fixed(event.metrics.kl),
        'samples/s': count(event.samplesPerSecond),
      });
    } else if (event.type === 'epoch') {
      progress?.stop();
      progress = undefined;
      barEpoch = -1;
      const every = config.validateEvery ?? 1;
      const evaluate =
        heldOut !== undefined &&
        ((event.epoch + 1) % every === 0 || event.epoch + 1 === config.epochs);
      const bound = evaluate
        ? await reporter.phase(`validation bound (k = ${config.iwaeK})`, () =>
            validationBound(model, heldOut, {
              k: config.iwaeK ?? 1,
              seed: config.seed,
              shouldStop: () => stop.signal.aborted || performance.now() >= deadline,
            }),
          )
        : undefined;
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
        elapsed: before + (performance.now() - started) / 1000,
        rss: process.memoryUsage().rss,
        ...(bound === undefined ? {} : { validation: bound }),
        ...(evaluate && bound === undefined ? { validationSkipped: true as const } : {}),
      };
      history.push(line);
      await appendMetrics(paths.metrics, line);
      const improved =
        bound !== undefined && bestEpoch([line, ...(best === undefined ? [] : [best])]) === line;
      if (improved) {
        best = line;
        pendingBest = event.epoch + 1;
      }
      reporter.always(epochLine(line, { epochs: config.epochs, session, best: improved }));
    } else if (event.type === 'checkpoint') {
      await writeClock(paths, {
        step: event.step,
        elapsed: before + (performance.now() - started) / 1000,
      });
      if (pendingBest !== undefined && event.epoch === pendingBest) {
        pendingBest = undefined;
        await keepAsBest(paths);
      }
    }
  };

  started = performance.now();
  const deadline =
    options.hours === undefined ? Number.POSITIVE_INFINITY : started + options.hours * 3_600_000;
  try {
    const fitOptions: FitOptions = {
      loss: (x, { step, seed }) =>
        config.trainK === undefined
          ? negativeElbo(model, x, { beta: betaAt(step), seed, freeBits: config.freeBits })
          : negativeIwaeLoss(model, x, { k: config.trainK, seed, metrics: true }),
      validationData: test,
      validationLoss: (x, { seed }) => negativeElbo(model, x, { beta: 1, seed }),
      validationBatchSize: VALIDATION_BATCH,
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed,
      learningRate: learningRateOf(config, batches),
      nanGuard: 'stop',
      signal,
      onEvent,
      checkpoint: {
        store: fileCheckpointStore(paths.checkpoint),
        resume: true,
        runId: config.runId,
      },
    };
    const result =
      options.hours === undefined
        ? await fit(model, source, fitOptions)
        : await fitWithinBudget(model, source, {
            ...fitOptions,
            budgetSeconds: options.hours * 3600,
          });
    const byStep =
      result.stopped?.reason === 'aborted' && atStep.signal.aborted && !stop.signal.aborted;
    return {
      history,
      stopped: byStep
        ? { reason: 'step', message: `stopped at --stop-at-step ${stopAtStep}` }
        : result.stopped,
      epochs: result.epochs,
      steps: result.steps,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    progress?.stop();
    stop.dispose();
  }
}
