import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { useBackend } from '@vae/backends';
import { loadVAE, type VAE } from '@vae/nn';
import { fileHandler } from '@vae/nn/node';
import { writePng } from '@vae/viz/node';
import type { SampleOptions } from '../commands/sample.js';
import { describeBackend } from '../internal/backend-options.js';
import { CliError } from '../internal/errors.js';
import type { CliIo } from '../internal/io.js';
import { checkOutputFolder, recordOutputs } from '../internal/output-folder.js';
import {
  manifoldPicture,
  pictureShape,
  samplesPicture,
  traversalPicture,
} from '../internal/pictures.js';
import { Reporter } from '../internal/reporter.js';
import { ensureWritableFolder } from '../internal/writable.js';

/**
 * The model.json an argument names: `.../model.json` itself, or a folder holding
 * one and no run config (an exported model, `<run>/model`). Undefined otherwise.
 */
export function modelJsonOf(argument: string): string | undefined {
  const path = resolve(argument);
  if (path.endsWith('.json')) return existsSync(path) ? path : undefined;
  const isFolder = existsSync(path) && statSync(path).isDirectory();
  if (!isFolder || existsSync(join(path, 'config.json'))) return undefined;
  return existsSync(join(path, 'model.json')) ? join(path, 'model.json') : undefined;
}

/**
 * `vae sample <model folder or model.json>`: samples and a traversal (from z = 0)
 * or manifold of an exported model, without its run folder or data. Loading
 * checks the file (sizes bounded before allocation, names and shapes).
 */
export async function sampleModel(
  modelJson: string,
  options: SampleOptions,
  io: CliIo,
): Promise<void> {
  const reporter = new Reporter(io, 'sample', options);
  const out = resolve(options.out ?? join(dirname(modelJson), 'sample'));
  await checkOutputFolder(out, 'sample');
  await ensureWritableFolder(out, { command: 'sample' });
  await reporter.phase(
    `starting the ${options.backend} backend`,
    () => useBackend(options.backend, { threads: options.threads }),
    (info) => describeBackend(info, reporter),
  );
  const model: VAE = await reporter.phase(`loading ${modelJson}`, () =>
    loadVAE(fileHandler(modelJson)),
  );
  try {
    const shape = pictureShape(model.dataShape);
    if (shape === undefined) {
      throw new CliError(
        `sample: the model's examples of shape [${model.dataShape.join(', ')}] are not images; nothing to draw`,
      );
    }
    const pictures = [
      {
        file: 'samples.png',
        draw: () => samplesPicture(model, { n: options.n, seed: options.seed, shape }),
      },
      model.latentDim === 2
        ? { file: 'manifold.png', draw: () => manifoldPicture(model, { size: 20, shape }) }
        : {
            file: 'traversal.png',
            draw: () =>
              traversalPicture(
                model,
                { code: new Array<number>(model.latentDim).fill(0), name: 'z = 0' },
                { steps: options.steps, shape },
              ),
          },
    ];
    const written: string[] = [];
    for (const picture of pictures) {
      await recordOutputs(out, [...written, picture.file], 'sample');
      await writePng(join(out, picture.file), picture.draw());
      written.push(picture.file);
    }
    reporter.result(written.map((file) => join(out, file)).join('\n'));
  } finally {
    model.dispose();
  }
}
