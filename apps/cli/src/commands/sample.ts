import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writePng } from '@vae/viz/node';
import { Command } from 'commander';
import { type BackendChoice, backendOption, threadsOption } from '../internal/backend-options.js';
import { CliError } from '../internal/errors.js';
import { loadRun } from '../internal/load-run.js';
import { mnistDirectoryOption, rows, testImages } from '../internal/mnist.js';
import {
  type CliModel,
  decodeMeans,
  encodeMeans,
  interpolateMeans,
  sampleMeans,
} from '../internal/model.js';
import { gridOf, reconstructionGrid } from '../internal/outputs.js';
import { nonNegativeInteger, positiveInteger } from '../internal/parse.js';

interface SampleOptions extends BackendChoice {
  n: number;
  seed: number;
  out?: string;
  from: number;
  to: number;
  steps: number;
  mnistDir?: string;
}

/** `vae sample <run>`. */
export function sampleCommand(): Command {
  return new Command('sample')
    .description(
      'write PNGs of samples, reconstructions, a latent traversal (2-D: the manifold) and an interpolation',
    )
    .argument('<run>', 'run folder written by vae train')
    .option('--n <n>', 'number of samples', positiveInteger, 64)
    .option('--seed <n>', 'seed of the samples', nonNegativeInteger, 0)
    .option('--out <dir>', 'output folder (default <run>/sample)')
    .option('--from <index>', 'test digit the interpolation starts from', nonNegativeInteger, 0)
    .option('--to <index>', 'test digit the interpolation ends at', nonNegativeInteger, 1)
    .option('--steps <n>', 'images in the interpolation and per traversal row', positiveInteger, 11)
    .addOption(backendOption())
    .addOption(threadsOption())
    .addOption(mnistDirectoryOption())
    .action(async (run: string, options: SampleOptions) => {
      const { model } = await loadRun(run, { command: 'sample', ...options });
      const limit = Math.max(32, options.from + 1, options.to + 1);
      const test = await testImages(limit, options.mnistDir);
      try {
        if (test.dataset.size < limit) {
          throw new CliError(
            `sample: --from/--to must be below ${test.dataset.size}, got ${options.from} and ${options.to}`,
          );
        }
        const out = options.out ?? join(run, 'sample');
        await mkdir(out, { recursive: true });
        const written = await writeSamples(model, test.x, { ...options, out });
        process.stdout.write(`${written.map((file) => join(out, file)).join('\n')}\n`);
      } finally {
        test.x.dispose();
        model.dispose();
      }
    });
}

async function writeSamples(
  model: CliModel,
  x: tf.Tensor2D,
  options: SampleOptions & { out: string },
): Promise<string[]> {
  const columns = Math.ceil(Math.sqrt(options.n));
  await writePng(
    join(options.out, 'samples.png'),
    gridOf(sampleMeans(model, options.n, options.seed), columns),
  );
  const inputs = rows(x, 0, 32);
  await writePng(
    join(options.out, 'reconstructions.png'),
    reconstructionGrid(model, inputs, { columns: 8, seed: options.seed }),
  );
  inputs.dispose();
  const files = ['samples.png', 'reconstructions.png'];
  if (model.latentDim === 2) {
    await writePng(join(options.out, 'manifold.png'), gridOf(manifold(model, 20), 20));
    files.push('manifold.png');
  } else {
    await writePng(
      join(options.out, 'traversal.png'),
      gridOf(traversal(model, x, options.steps), options.steps),
    );
    files.push('traversal.png');
  }
  await writePng(
    join(options.out, 'interpolation.png'),
    gridOf(interpolation(model, x, options), options.steps),
  );
  files.push('interpolation.png');
  return files;
}

/** Decodes a size x size grid over z in [-3, 3]^2 (rows: z2 from 3 down to -3; columns: z1 from -3 to 3). */
function manifold(model: CliModel, size: number): tf.Tensor {
  return tf.tidy(() => {
    const values = Array.from({ length: size }, (_, i) => -3 + (6 * i) / (size - 1));
    const z = values.flatMap((_, row) => values.map((z1) => [z1, values[size - 1 - row]!]));
    return decodeMeans(model, tf.tensor2d(z));
  });
}

/** From the first test digit's code, varies each of the first 10 latent dimensions from -3 to 3, one row each. */
function traversal(model: CliModel, x: tf.Tensor2D, steps: number): tf.Tensor {
  return tf.tidy(() => {
    const code = encodeMeans(model, rows(x, 0, 1)).dataSync();
    const dims = Math.min(model.latentDim, 10);
    const z: number[][] = [];
    for (let d = 0; d < dims; d++) {
      for (let s = 0; s < steps; s++) {
        const point = Array.from(code);
        point[d] = steps === 1 ? 0 : -3 + (6 * s) / (steps - 1);
        z.push(point);
      }
    }
    return decodeMeans(model, tf.tensor2d(z));
  });
}

/** Decodes the straight line between the codes of test digits `from` and `to` (VAE.interpolate). */
function interpolation(
  model: CliModel,
  x: tf.Tensor2D,
  options: { from: number; to: number; steps: number },
): tf.Tensor {
  return tf.tidy(() =>
    interpolateMeans(model, [rows(x, options.from, 1), rows(x, options.to, 1)], options.steps),
  );
}
