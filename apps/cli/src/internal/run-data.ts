import { resolve } from 'node:path';
import { createDataSource, type DataSource, type Dataset, split, subset } from '@vae/data';
import { loadEmojiImages, loadImageFolder, loadMnist, loadNpy } from '@vae/data/node';
import { CliError } from './errors.js';
import { count, shapeText } from './format.js';
import type { DataSpec, RunConfig } from './run-config.js';

/** A run's images: the training and test splits as host data sets (8-bit where the source is). */
export interface RunData {
  train: Dataset;
  test: Dataset;
  /** The shape of one example as the model sees it: [h, w, c] for images, [d] otherwise. */
  itemShape: number[];
  /** True for 8-bit data (uint8 values, level k meaning k / 255). */
  eightBit: boolean;
  /** The validation split held out from the training images (see {@link holdOutValidation}). */
  validation?: Dataset;
}

/** The seed of the train/test split of a folder or a .npy file (fixed, so every command agrees). */
export const SPLIT_SEED = 0;
/** The share of a folder or .npy file held out for testing when a run does not say. */
export const DEFAULT_TEST_FRACTION = 0.1;
/** Seed of the one fixed draw of the test set's noise (binarization, dequantization). */
export const TEST_NOISE_SEED = 20_241_121;
/** Seed of the one fixed draw of the validation split's noise. */
export const VALIDATION_NOISE_SEED = 20_261_127;

/** What `--data` names: MNIST, the emoji, a folder of images or a .npy file. */
export function parseDataArgument(
  value: string,
  options: { side?: number; channels?: 1 | 3; testFraction?: number; mnistDir?: string },
): DataSpec {
  const testFraction = options.testFraction ?? DEFAULT_TEST_FRACTION;
  if (value === 'mnist') {
    return options.mnistDir === undefined
      ? { source: 'mnist' }
      : { source: 'mnist', directory: resolve(options.mnistDir) };
  }
  if (value === 'emoji') return { source: 'emoji' };
  if (/\.npy$/i.test(value)) return { source: 'npy', path: resolve(value), testFraction };
  return {
    source: 'folder',
    path: resolve(value),
    channels: options.channels ?? 3,
    testFraction,
    ...(options.side === undefined ? {} : { side: options.side }),
  };
}

/** "MNIST", "emoji", "images in /x", "/x/y.npy". */
export function describeData(spec: DataSpec): string {
  switch (spec.source) {
    case 'mnist':
      return spec.directory === undefined ? 'MNIST' : `MNIST from ${spec.directory}`;
    case 'emoji':
      return 'Twemoji colour images';
    case 'folder':
      return `images in ${spec.path}`;
    case 'npy':
      return spec.path;
  }
}

function first<I extends readonly number[]>(
  dataset: Dataset<I>,
  n: number | undefined,
): Dataset<I> {
  if (n === undefined || n >= dataset.size) return dataset;
  return subset(
    dataset,
    Array.from({ length: n }, (_, i) => i),
  );
}

/** [h, w] images get a channel axis; other shapes stay. */
function modelShape(itemShape: readonly number[]): number[] {
  return itemShape.length === 2 ? [...itemShape, 1] : [...itemShape];
}

async function splitOf(
  spec: DataSpec,
  options: { limit?: number; testLimit?: number; wantTrain: boolean },
): Promise<{ train: Dataset; test: Dataset }> {
  const limits = (train: Dataset, test: Dataset) => ({
    train: first(train, options.limit),
    test: first(test, options.testLimit),
  });
  switch (spec.source) {
    case 'mnist': {
      const directory = spec.directory === undefined ? {} : { directory: spec.directory };
      const limit = (n: number | undefined) => (n === undefined ? {} : { limit: n });
      const test = await loadMnist({ split: 'test', ...limit(options.testLimit), ...directory });
      const train = options.wantTrain
        ? await loadMnist({ split: 'train', ...limit(options.limit), ...directory })
        : test;
      return { train, test };
    }
    case 'emoji': {
      const limit = options.testLimit === undefined ? {} : { limit: options.testLimit };
      const test = await loadEmojiImages({ split: 'test', ...limit });
      const train = options.wantTrain
        ? await loadEmojiImages({
            split: 'train',
            ...(options.limit === undefined ? {} : { limit: options.limit }),
          })
        : test;
      return { train, test };
    }
    case 'folder': {
      const all = await loadImageFolder(spec.path, {
        channels: spec.channels,
        ...(spec.side === undefined ? {} : { side: spec.side }),
      });
      const parts = split(all, { testFraction: spec.testFraction, seed: SPLIT_SEED });
      return limits(parts.train, parts.test);
    }
    case 'npy': {
      const all = await loadNpy(spec.path);
      const parts = split(all, { testFraction: spec.testFraction, seed: SPLIT_SEED });
      return limits(parts.train, parts.test);
    }
  }
}

/**
 * Loads a run's data: the training split (its first `limit` examples) and the test
 * split (its first `testLimit`), or only the test split with `wantTrain: false`
 * (then `train` is the test split). Errors of the loaders (a missing folder, a
 * corrupt file, a gzip bomb) come through as their one-line `VaeError`s.
 */
export async function loadRunData(
  spec: DataSpec,
  options: { limit?: number; testLimit?: number; wantTrain?: boolean },
): Promise<RunData> {
  const { train, test } = await splitOf(spec, { ...options, wantTrain: options.wantTrain ?? true });
  if (test.size === 0 || train.size === 0) {
    throw new CliError(
      `${describeData(spec)}: no ${test.size === 0 ? 'test' : 'training'} examples`,
    );
  }
  return {
    train,
    test,
    itemShape: modelShape(train.itemShape),
    eightBit: train.values instanceof Uint8Array,
  };
}

/**
 * Holds the last `validation` training examples out as the validation split
 * and trains on the ones before (full MNIST with 10,000: training images
 * 0-49,999 and validation 50,000-59,999, the split of Burda et al.). The test
 * split is untouched. `data` itself is not changed.
 */
export function holdOutValidation(data: RunData, validation: number | undefined): RunData {
  if (validation === undefined) return data;
  const size = data.train.size;
  if (validation >= size) {
    throw new CliError(
      `train: --validation ${validation} holds out every training example (the run has ${count(size)}); use fewer than ${count(size)}`,
    );
  }
  const kept = size - validation;
  return {
    ...data,
    train: subset(
      data.train,
      Array.from({ length: kept }, (_, i) => i),
    ),
    validation: subset(
      data.train,
      Array.from({ length: validation }, (_, i) => kept + i),
    ),
  };
}

/** "60,000 training and 10,000 test images of 28x28x1, 8-bit". */
export function describeSplits(data: RunData, wantTrain = true): string {
  const what = data.itemShape.length === 3 ? 'images' : 'examples';
  const kind = data.eightBit ? '8-bit' : 'float32';
  const sizes = wantTrain
    ? `${count(data.train.size)} training and ${count(data.test.size)} test ${what}`
    : `${count(data.test.size)} test ${what}`;
  return `${sizes} of ${shapeText(data.itemShape)}, ${kind}`;
}

/** How a likelihood sees the data: the batch transform of createDataSource. */
function transformOf(config: Pick<RunConfig, 'likelihood'>, eightBit: boolean) {
  if (config.likelihood === 'bernoulli') return { binarize: 'dynamic' as const };
  if (config.likelihood === 'gaussian' && eightBit) return { dequantize: true };
  return {};
}

/**
 * The training batches: `createDataSource` in the model's data shape, with the
 * likelihood's transform (a fresh Bernoulli draw per batch for a Bernoulli decoder,
 * (k + u) / 256 for a Gaussian one on 8-bit data, k / 255 for the discretized
 * logistic); the noise follows `fit`'s batch context, so a resumed run is identical.
 */
export function trainingSource(
  data: RunData,
  config: Pick<RunConfig, 'itemShape' | 'likelihood' | 'seed'>,
): DataSource {
  return createDataSource(data.train, {
    shape: config.itemShape,
    seed: config.seed,
    ...transformOf(config, data.eightBit),
  });
}

/**
 * The test set with one fixed draw of its noise, the same for the per-epoch test
 * loss, `eval` and `sample`: whatever context a caller passes, example i's noise
 * is that of seed {@link TEST_NOISE_SEED}.
 */
export function testSource(
  data: RunData,
  config: Pick<RunConfig, 'itemShape' | 'likelihood'>,
): DataSource {
  return fixedNoise(data.test, config, { eightBit: data.eightBit, seed: TEST_NOISE_SEED });
}

/**
 * The validation split (undefined when the run holds none out) with one fixed
 * draw of its noise, like {@link testSource}: every evaluation scores the same
 * binarized images.
 */
export function validationSource(
  data: RunData,
  config: Pick<RunConfig, 'itemShape' | 'likelihood'>,
): DataSource | undefined {
  if (data.validation === undefined) return undefined;
  return fixedNoise(data.validation, config, {
    eightBit: data.eightBit,
    seed: VALIDATION_NOISE_SEED,
  });
}

function fixedNoise(
  dataset: Dataset,
  config: Pick<RunConfig, 'itemShape' | 'likelihood'>,
  options: { eightBit: boolean; seed: number },
): DataSource {
  const { eightBit, seed } = options;
  const source = createDataSource(dataset, {
    shape: config.itemShape,
    seed,
    ...transformOf(config, eightBit),
  });
  const context = { seed, epoch: 0, step: 0 };
  return {
    size: source.size,
    itemShape: source.itemShape,
    features: source.features,
    getBatch: (indices) => source.getBatch(indices, context),
  };
}

/**
 * log P(x) of the data in nats -> bits per dimension, the way `vae gaussian` reports
 * it: for discrete data (binarized, or 8-bit under the discretized logistic)
 * -log P / (D ln 2); for a Gaussian on 8-bit data dequantized as y = (k + u) / 256,
 * log P(k) >= log p(y) - D ln 256, so -(log p(y) - D ln 256) / (D ln 2); for
 * float data the density's -log p / (D ln 2).
 */
export function bitsPerDimension(
  logLikelihood: number,
  config: Pick<RunConfig, 'itemShape' | 'likelihood'>,
  eightBit: boolean,
): number {
  const values = config.itemShape.reduce((a, b) => a * b, 1);
  const discrete =
    config.likelihood === 'gaussian' && eightBit
      ? logLikelihood - values * Math.log(256)
      : logLikelihood;
  return -discrete / (values * Math.LN2);
}
