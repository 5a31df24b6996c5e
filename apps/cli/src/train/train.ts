import { saveModel } from '@vae/nn';
import { fileHandler } from '@vae/nn/node';
import { writePng } from '@vae/viz/node';
import type { TrainOptions } from '../commands/train.js';
import { CliError } from '../internal/errors.js';
import { count, duration, fixed, plural } from '../internal/format.js';
import { type CliIo, invocation, shellQuote } from '../internal/io.js';
import { osReason } from '../internal/os-errors.js';
import {
  lossPicture,
  pictureShape,
  reconstructionsPicture,
  samplesPicture,
} from '../internal/pictures.js';
import { Reporter } from '../internal/reporter.js';
import { bitsPerDimension, testSource } from '../internal/run-data.js';
import { openNewRun, openResumedRun, type TrainingSession } from './open-run.js';
import { epochLabel, type TrainingOutcome, trainModel } from './train-loop.js';
import { bestEpoch } from './validation.js';

/** Writes samples.png, reconstructions.png, loss.png and the model (model/model.json + weights.bin). */
async function writeOutputs(session: TrainingSession, outcome: TrainingOutcome): Promise<void> {
  const { model, config, paths, data } = session;
  const shape = pictureShape(config.itemShape);
  if (shape !== undefined) {
    await writePng(paths.samples, samplesPicture(model, { n: 64, seed: config.seed, shape }));
    const test = testSource(data, config);
    const x = test.getBatch(Array.from({ length: Math.min(32, test.size) }, (_, i) => i));
    try {
      await writePng(
        paths.reconstructions,
        reconstructionsPicture(model, x, { columns: 8, shape }),
      );
    } finally {
      x.dispose();
    }
  }
  if (outcome.history.length > 0) await writePng(paths.loss, lossPicture(outcome.history));
  await saveModel(model, fileHandler(paths.model));
}

/** A failed write (a full disk, a file size limit) as one line that says what is kept. */
function writeFailure(error: unknown, session: TrainingSession, io: CliIo): CliError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return undefined;
  const command = `${invocation(io)} train --out ${shellQuote(session.paths.directory)} --resume`;
  return new CliError(
    `train: writing to ${session.paths.directory} failed: ${osReason(error)}; the last complete checkpoint is kept: make room, then continue with: ${command}`,
  );
}

function summary(
  session: TrainingSession,
  outcome: TrainingOutcome,
  context: { reporter: Reporter; hours: number | undefined },
): void {
  const { reporter, hours } = context;
  const { config, data, paths } = session;
  const last = outcome.history.at(-1);
  const test = last?.test?.elbo ?? (last?.testLoss === undefined ? Number.NaN : -last.testLoss);
  const bits = bitsPerDimension(test, config, data.eightBit).toFixed(4);
  reporter.result(
    last === undefined
      ? `no epoch finished yet (step ${count(outcome.steps)}, ${duration(outcome.seconds)}); run folder ${paths.directory}`
      : `test ELBO ${fixed(test)} nats (negative ELBO ${fixed(-test)}, ${bits} bits/dim) after ${plural(outcome.epochs, 'epoch')}, ${duration(outcome.seconds)}; run folder ${paths.directory}`,
  );
  const cli = invocation(reporter.io);
  const run = shellQuote(paths.directory);
  if (outcome.stopped?.reason === 'budget') {
    reporter.always(
      `stopped at the budget of --hours ${hours} after ${duration(outcome.seconds)}, at ${epochLabel(outcome.epochs, config.epochs)}, step ${count(outcome.steps)} (--stop-at-step ${outcome.steps} reproduces these weights); checkpoint saved; continue with: ${cli} train --out ${run} --resume --hours <h>`,
    );
  }
  if (outcome.stopped?.reason === 'step') {
    reporter.always(
      `stopped at --stop-at-step ${outcome.steps}, at ${epochLabel(outcome.epochs, config.epochs)}; checkpoint saved; continue with: ${cli} train --out ${run} --resume`,
    );
  }
  const best = bestEpoch(outcome.history);
  if (best?.validation !== undefined) {
    reporter.info(
      `best validation IWAE(k=${best.validation.k}) ${fixed(best.validation.iwae)} nats after epoch ${best.epoch + 1}: best.ckpt (\`--checkpoint best\` of eval and sample)`,
    );
  }
  reporter.info(`next: ${cli} eval ${run}      (importance-weighted log-likelihood, bits/dim)`);
  reporter.info(`      ${cli} sample ${run}    (samples, reconstructions, traversals)`);
}

/** `vae train`: opens (or resumes) the run, trains it, writes its pictures and model. */
export async function train(options: TrainOptions, io: CliIo): Promise<void> {
  const reporter = new Reporter(io, 'train', options);
  const session = options.resume
    ? await openResumedRun(options, reporter)
    : await openNewRun(options, reporter);
  try {
    let outcome: TrainingOutcome;
    try {
      outcome = await trainModel(session, reporter, {
        hours: options.hours,
        stopAtStep: options.stopAtStep,
      });
    } catch (error) {
      throw writeFailure(error, session, io) ?? error;
    }
    const { stopped } = outcome;
    const resume = `${invocation(io)} train --out ${shellQuote(session.paths.directory)} --resume`;
    if (stopped?.reason === 'aborted') {
      reporter.always(
        `stopped at epoch ${outcome.history.length + 1}, step ${outcome.steps}; checkpoint saved; continue with: ${resume}`,
      );
      process.exitCode = 130;
      return;
    }
    if (stopped?.reason === 'diverged') {
      const kept =
        session.checkpoint !== undefined || outcome.history.length > 0
          ? 'the last good checkpoint is kept'
          : 'no checkpoint had been written yet';
      throw new CliError(`train: ${stopped.message}; stopped, ${kept} (try a lower --lr)`);
    }
    try {
      await reporter.phase('writing pictures and the model', () => writeOutputs(session, outcome));
    } catch (error) {
      throw writeFailure(error, session, io) ?? error;
    }
    summary(session, outcome, { reporter, hours: options.hours });
  } finally {
    session.model.dispose();
    await session.lock.release();
  }
}
