import { writeFileAtomic } from '@vae/divergence/node';
import { linearWarmup } from '@vae/elbo';
import { fit, type StopReason, type TrainingEvent } from '@vae/trainer';
import { fileCheckpointStore } from '@vae/trainer/node';
import { count, duration, fixed, plural } from '../internal/format.js';
import type { Progress } from '../internal/progress.js';
import type { Reporter } from '../internal/reporter.js';
import { configText } from '../internal/run-config.js';
import { bitsPerDimension, testSource, trainingSource } from '../internal/run-data.js';
import {
  appendMetrics,
  type EpochMetrics,
  readMetrics,
  writeMetrics,
} from '../internal/run-folder.js';
import { negativeElbo } from '../internal/scoring.js';
import type { TrainingSession } from './open-run.js';

/** Test examples per validation batch. */
const VALIDATION_BATCH = 500;

/** What training ended with. */
export interface TrainingOutcome {
  history: EpochMetrics[];
  stopped: { reason: StopReason; message: string } | null;
  epochs: number;
  steps: number;
  seconds: number;
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
  context: { epochs: number; session: TrainingSession },
): string {
  const { config, data } = context.session;
  const train = line.train?.elbo ?? -line.trainLoss;
  const kl = line.train?.kl ?? line.trainKl;
  const test = line.test?.elbo ?? (line.testLoss === undefined ? undefined : -line.testLoss);
  const bits =
    test === undefined
      ? ''
      : `, ${bitsPerDimension(test, config, data.eightBit).toFixed(4)} bits/dim`;
  return (
    `epoch ${line.epoch + 1}/${context.epochs}: train ELBO ${fixed(train)} (KL ${fixed(kl)}), ` +
    `test ELBO ${fixed(test)} nats${bits} | ${duration(line.seconds)}, ${count(line.samplesPerSecond)} samples/s`
  );
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
): Promise<TrainingOutcome> {
  const { model, config, paths, data, checkpoint } = session;
  const source = trainingSource(data, config);
  const validation = testSource(data, config);
  const batches = Math.ceil(source.size / config.batchSize);
  const completed = checkpoint?.state.history.length ?? 0;
  const saved = await readMetrics(paths.metrics, 'train');
  const history = saved.filter((line) => line.epoch < completed);
  const warmup = config.warmup > 0 ? linearWarmup({ steps: config.warmup * batches }) : () => 1;
  const betaAt = (step: number) => config.beta * warmup(step + 1);

  if (checkpoint !== undefined) {
    const { epoch, batchInEpoch, step } = checkpoint.state;
    reporter.info(
      `resuming at epoch ${epoch + 1}/${config.epochs}, batch ${batchInEpoch}/${batches} (step ${count(step)}; ${plural(completed, 'epoch')} done)`,
    );
  }
  let resumed = false;
  const confirmResume = async () => {
    if (resumed) return;
    resumed = true;
    if (session.pendingConfig !== undefined) {
      await writeFileAtomic(paths.config, configText(session.pendingConfig));
    }
    if (saved.length !== history.length) await writeMetrics(paths.metrics, history);
  };

  let progress: Progress | undefined;
  let barEpoch = -1;
  const onEvent = async (event: TrainingEvent) => {
    await confirmResume();
    if (event.type === 'batch') {
      if (event.epoch !== barEpoch) {
        progress?.stop();
        barEpoch = event.epoch;
        progress = reporter.progress({
          label: `epoch ${event.epoch + 1}/${config.epochs}`,
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
      reporter.always(epochLine(line, { epochs: config.epochs, session }));
    }
  };

  const stop = interruptions(reporter);
  const started = performance.now();
  try {
    const result = await fit(model, source, {
      loss: (x, { step, seed }) => negativeElbo(model, x, { beta: betaAt(step), seed }),
      validationData: validation,
      validationLoss: (x, { seed }) => negativeElbo(model, x, { beta: 1, seed }),
      validationBatchSize: VALIDATION_BATCH,
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed,
      learningRate: config.learningRate,
      nanGuard: 'stop',
      signal: stop.signal,
      onEvent,
      checkpoint: {
        store: fileCheckpointStore(paths.checkpoint),
        resume: true,
        runId: config.runId,
      },
    });
    return {
      history,
      stopped: result.stopped,
      epochs: result.epochs,
      steps: result.steps,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    progress?.stop();
    stop.dispose();
  }
}
