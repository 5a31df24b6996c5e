import { existsSync } from 'node:fs';
import { rmdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import type { RgbaImage } from '@vae/viz';
import { writePng } from '@vae/viz/node';
import type { SampleOptions } from '../commands/sample.js';
import { CliError } from '../internal/errors.js';
import type { CliIo } from '../internal/io.js';
import { openRun } from '../internal/open-run.js';
import { checkOutputFolder, recordOutputs } from '../internal/output-folder.js';
import {
  interpolationPicture,
  manifoldPicture,
  pictureShape,
  reconstructionsPicture,
  samplesPicture,
  traversalPicture,
} from '../internal/pictures.js';
import { Reporter } from '../internal/reporter.js';
import { readRunConfig } from '../internal/run-config.js';
import { testSource } from '../internal/run-data.js';
import { runPaths } from '../internal/run-folder.js';
import { ensureWritableFolder } from '../internal/writable.js';
import { modelJsonOf, sampleModel } from './sample-model.js';

/** One picture to write: its file name and how to draw it. */
interface Picture {
  file: string;
  draw(): RgbaImage;
}

/** `vae sample <run>`: labelled PNGs of samples, reconstructions, a traversal or manifold, an interpolation. */
export async function sampleRun(run: string, options: SampleOptions, io: CliIo): Promise<void> {
  if (options.steps < 2) throw new CliError('sample: --steps must be at least 2');
  const modelJson = modelJsonOf(run);
  if (modelJson !== undefined) {
    if (options.checkpoint === 'best') {
      throw new CliError(
        `sample: ${run} is an exported model (one set of weights); --checkpoint best picks best.ckpt of a run folder`,
      );
    }
    return sampleModel(modelJson, options, io);
  }
  const reporter = new Reporter(io, 'sample', options);
  const runFolder = runPaths(resolve(run)).directory;
  const out = resolve(options.out ?? join(runFolder, 'sample'));
  // Everything that can be refused is refused before the data loads.
  await checkOutputFolder(out, 'sample');
  await readRunConfig(runPaths(runFolder), 'sample');
  const existed = existsSync(out);
  await ensureWritableFolder(out, { command: 'sample' });
  const insideRun = !relative(runFolder, out).startsWith('..');
  const limit = Math.max(32, options.from + 1, options.to + 1);
  const opened = await openRun(run, {
    command: 'sample',
    reporter,
    backend: options.backend,
    threads: options.threads,
    testLimit: limit,
    lock: insideRun,
    checkpoint: options.checkpoint,
    ...(options.mnistDir === undefined ? {} : { mnistDir: options.mnistDir }),
  }).catch(async (error: unknown) => {
    if (!existed) await rmdir(out).catch(() => undefined); // only if still empty
    throw error;
  });
  try {
    const { model, config, data } = opened;
    const shape = pictureShape(config.itemShape);
    if (shape === undefined) {
      throw new CliError(
        `sample: examples of shape [${config.itemShape.join(', ')}] are not images; nothing to draw`,
      );
    }
    const test = testSource(data, config);
    if (options.from >= test.size || options.to >= test.size) {
      throw new CliError(
        `sample: --from/--to must be below ${test.size} (the test examples), got ${options.from} and ${options.to}`,
      );
    }
    const x = test.getBatch(Array.from({ length: Math.min(32, test.size) }, (_, i) => i));
    const one = (i: number): tf.Tensor => test.getBatch([i]);
    const pictures: Picture[] = [
      {
        file: 'samples.png',
        draw: () => samplesPicture(model, { n: options.n, seed: options.seed, shape }),
      },
      {
        file: 'reconstructions.png',
        draw: () => reconstructionsPicture(model, x, { columns: 8, shape }),
      },
      model.latentDim === 2
        ? { file: 'manifold.png', draw: () => manifoldPicture(model, { size: 20, shape }) }
        : {
            file: 'traversal.png',
            draw: () => {
              const first = one(0);
              try {
                return traversalPicture(model, { x: first }, { steps: options.steps, shape });
              } finally {
                first.dispose();
              }
            },
          },
      {
        file: 'interpolation.png',
        draw: () => {
          const a = one(options.from);
          const b = one(options.to);
          try {
            return interpolationPicture(
              model,
              { a, b, from: options.from, to: options.to },
              { steps: options.steps, shape },
            );
          } finally {
            a.dispose();
            b.dispose();
          }
        },
      },
    ];
    const progress = reporter.progress({
      label: 'sample',
      total: pictures.length,
      unit: 'pictures',
    });
    const written: string[] = [];
    try {
      for (const picture of pictures) {
        // Listed before it is written: a kill in between never leaves a file we would refuse.
        await recordOutputs(out, [...written, picture.file], 'sample');
        await writePng(join(out, picture.file), picture.draw());
        written.push(picture.file);
        progress.update(written.length);
      }
    } finally {
      progress.stop();
      x.dispose();
    }
    reporter.result(written.map((file) => join(out, file)).join('\n'));
  } finally {
    await opened.close();
  }
}
