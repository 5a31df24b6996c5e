import cliProgress from 'cli-progress';

/** The training progress bar: epoch, batch progress, ELBO, KL and samples/s. */
export interface TrainingProgress {
  startEpoch(epoch: number, total: number): void;
  update(batch: number, values: { elbo: number; kl: number; speed: number }): void;
  stop(): void;
}

function format(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** A cli-progress bar on stderr; with `quiet` (or no TTY) it prints one line per epoch instead. */
export function createProgress(options: {
  epochs: number;
  batches: number;
  quiet: boolean;
}): TrainingProgress {
  const { epochs, batches, quiet } = options;
  const tty = process.stderr.isTTY === true && !quiet;
  let epochNumber = 0;
  let last = { elbo: Number.NaN, kl: Number.NaN, speed: 0 };
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          format:
            'epoch {epochLabel} |{bar}| {value}/{total} | ELBO {elbo} | KL {kl} | {speed} samples/s | eta {eta_formatted}',
          barsize: 24,
          hideCursor: true,
          stream: process.stderr,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  return {
    startEpoch(epoch, total) {
      epochNumber = epoch;
      const payload = { epochLabel: `${epoch + 1}/${epochs}`, elbo: '-', kl: '-', speed: '-' };
      if (bar !== undefined) {
        bar.stop();
        bar.start(total, 0, payload);
      }
    },
    update(batch, values) {
      // Per-batch speed is noisy; show an exponential moving average.
      const speed =
        batch === 0 || last.speed === 0 ? values.speed : 0.9 * last.speed + 0.1 * values.speed;
      last = { ...values, speed };
      values = last;
      bar?.update(batch + 1, {
        epochLabel: `${epochNumber + 1}/${epochs}`,
        elbo: format(values.elbo, 2),
        kl: format(values.kl, 2),
        speed: format(values.speed, 0),
      });
      if (bar === undefined && batch + 1 === batches) {
        process.stderr.write(
          `epoch ${epochNumber + 1}/${epochs}: ELBO ${format(last.elbo, 2)}, KL ${format(last.kl, 2)}, ${format(last.speed, 0)} samples/s\n`,
        );
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
