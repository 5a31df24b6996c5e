// Draws docs/emoji-samples.png: samples of the emoji VAE (x ~ p(x | z), z ~ p(z)),
// the decoded means E[x | z] of the same z, and beside them samples of the full-covariance Gaussian of `vae gaussian --data emoji`,
// fitted here exactly as that command fits it (same training images, the same
// seeded dequantization, shrinkage 0.01, the value it picks on this data).
//
// Regenerate (from apps/cli, after `pnpm build` and the training run in README.md):
//   node scripts/emoji-samples.mjs ../../runs/emoji-coupled docs/emoji-samples.png
import * as tf from '@tensorflow/tfjs-core';
import { MultivariateNormal } from '@vae/distributions';
import { createImage, labeledGrid } from '@vae/viz';
import { writePng } from '@vae/viz/node';
import { dequantize, gaussianData } from '../dist/gaussian/gaussian-data.js';
import { processIo } from '../dist/internal/io.js';
import { openRun } from '../dist/internal/open-run.js';
import { Reporter } from '../dist/internal/reporter.js';
import { loadRunData, parseDataArgument } from '../dist/internal/run-data.js';

const [run, out] = process.argv.slice(2);
if (run === undefined || out === undefined) {
  throw new Error('usage: node scripts/emoji-samples.mjs <emoji run folder> <out.png>');
}
const N = 32;
const SEED = 0;
const SHRINKAGE = 0.01;
const SHAPE = [30, 30, 3];
const grid = { columns: 8, scale: 2 };

// The run's last checkpoint, restored as `vae eval` restores it.
const opened = await openRun(run, {
  command: 'emoji-samples',
  reporter: new Reporter(processIo(), 'emoji-samples', { quiet: true, verbose: false }),
  backend: 'wasm',
  threads: 2,
  testLimit: 1,
  lock: false,
});
const vae = opened.model;
const [vaeSamples, vaeMeans] = tf.tidy(() => {
  const z = vae.prior.sample(N, { seed: SEED });
  const p = vae.decode(z);
  const x = p.sample([], SEED + 1);
  const mean = p.mean();
  p.dispose();
  return [tf.reshape(x, [N, ...SHAPE]), tf.reshape(mean, [N, ...SHAPE])];
});

const spec = parseDataArgument('emoji', { channels: 3 });
const loaded = await loadRunData(spec, {});
const { train } = gaussianData(spec, loaded, SEED);
const gaussian = MultivariateNormal.fit(
  { images: dequantize(train, { seed: SEED, stream: 2 }), size: train.n },
  { shrinkage: SHRINKAGE, jitter: 0 },
);
const gaussianSamples = tf.tidy(() =>
  tf.reshape(tf.clipByValue(gaussian.sample([N], SEED), 0, 1), [N, ...SHAPE]),
);

// The pictures' font has letters, digits and simple punctuation only.
const panels = [
  labeledGrid(vaeSamples, { ...grid, title: 'VAE samples: x from p(x given z), z from N(0, I)' }),
  labeledGrid(vaeMeans, { ...grid, title: 'VAE: the mean of p(x given z), same z' }),
  labeledGrid(gaussianSamples, { ...grid, title: 'Full-covariance Gaussian samples' }),
];
const gap = 16;
const image = createImage(
  panels.reduce((sum, p) => sum + p.width, 0) + gap * (panels.length - 1),
  Math.max(...panels.map((p) => p.height)),
  [255, 255, 255, 255],
);
let x0 = 0;
for (const picture of panels) {
  for (let y = 0; y < picture.height; y++) {
    const row = picture.data.subarray(4 * y * picture.width, 4 * (y + 1) * picture.width);
    image.data.set(row, 4 * (y * image.width + x0));
  }
  x0 += picture.width + gap;
}
await writePng(out, image);
tf.dispose([vaeSamples, vaeMeans, gaussianSamples]);
gaussian.dispose();
await opened.close();
console.log(`wrote ${out} (${image.width} x ${image.height})`);
