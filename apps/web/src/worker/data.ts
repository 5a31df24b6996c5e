// The worker's data: MNIST from the app's own assets (downloaded and inflated
// here, off the page's thread, with progress), or the user's own pictures
// decoded with @vae/data's decodeImageFiles.
import { decodeImageFiles, fetchMnist, type ImageDataset, type ImageShape, split } from '@vae/data';
import { idxBytes, MNIST_FILES, TEST_LIMIT, TRAIN_LIMIT } from '../shared/mnist-files.ts';
import type { DataInfo, DataRequest } from '../shared/protocol.ts';

export interface PageData {
  info: DataInfo;
  train: ImageDataset;
  /** Held-out images for the test ELBO and the pictures (the train set when there are too few). */
  test: ImageDataset;
}

export type Progress = (text: string, fraction?: number) => void;

/** Seed of the split of the user's images into train and test. */
const SPLIT_SEED = 0;
/** Held-out share of the user's images, when there are at least MIN_FOR_TEST of them. */
const TEST_FRACTION = 0.1;
const MIN_FOR_TEST = 20;

/**
 * A `fetch` of the MNIST files that reports the share of them received. A server
 * may send them with `Content-Encoding: gzip` (vite preview does), and then the
 * body arrives inflated: count it against the inflated size, known in advance.
 */
function countingFetch(report: (fraction: number, downloadBytes: number) => void): typeof fetch {
  const files = Object.values(MNIST_FILES);
  const inflated = files.reduce((sum, file) => sum + idxBytes(file), 0);
  const done = new Map<string, number>();
  let download = 0;
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await fetch(input, init);
    const file = files.find((f) => String(input).endsWith(f.name));
    if (response.body === null || file === undefined) return response;
    const length = Number(response.headers.get('Content-Length') ?? 0);
    download += length;
    const expected =
      response.headers.has('Content-Encoding') || length === 0 ? idxBytes(file) : length;
    let received = 0;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        done.set(file.name, Math.min(1, received / expected));
        const fraction = files.reduce((sum, f) => sum + (done.get(f.name) ?? 0) * idxBytes(f), 0);
        report(fraction / inflated, download);
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(counter), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }) as typeof fetch;
}

const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);

async function loadMnist(base: string, progress: Progress): Promise<PageData> {
  let lastReport = 0;
  const fetcher = countingFetch((fraction, download) => {
    const now = performance.now();
    if (now - lastReport < 100 && fraction < 1) return;
    lastReport = now;
    const size = download > 0 ? ` (${megabytes(download)} MB)` : '';
    progress(`Loading MNIST${size}: ${Math.round(100 * fraction)}%`, fraction);
  });
  progress('Loading MNIST…', 0);
  const url = (name: string) => `${base}mnist/${name}`;
  const [train, test] = await Promise.all([
    fetchMnist({
      images: url(MNIST_FILES.trainImages.name),
      labels: url(MNIST_FILES.trainLabels.name),
      fetch: fetcher,
    }),
    fetchMnist({
      images: url(MNIST_FILES.testImages.name),
      labels: url(MNIST_FILES.testLabels.name),
      fetch: fetcher,
    }),
  ]);
  return {
    train,
    test,
    info: {
      description: `MNIST: ${TRAIN_LIMIT.toLocaleString('en')} training and ${TEST_LIMIT.toLocaleString('en')} test digits`,
      kind: 'mnist',
      itemShape: [...train.itemShape],
      trainSize: train.size,
      testSize: test.size,
    },
  };
}

async function loadImages(
  request: Extract<DataRequest, { kind: 'images' }>,
  progress: Progress,
): Promise<PageData> {
  progress(`Decoding ${request.files.length} images…`);
  const images = await decodeImageFiles(request.files, {
    side: request.side,
    channels: request.channels,
  });
  const itemShape = [...images.itemShape];
  const shape = itemShape.join('x');
  if (images.size < MIN_FOR_TEST) {
    return {
      train: images,
      test: images,
      info: {
        description: `your images: ${images.size} of ${shape} (too few to hold some out; the test ELBO uses them all)`,
        kind: 'images',
        itemShape,
        trainSize: images.size,
        testSize: 0,
      },
    };
  }
  const parts = split(images, { testFraction: TEST_FRACTION, seed: SPLIT_SEED });
  const train = parts.train as ImageDataset;
  const test = parts.test as ImageDataset;
  return {
    train,
    test,
    info: {
      description: `your images: ${images.size} of ${shape} (${train.size} train, ${test.size} held out)`,
      kind: 'images',
      itemShape,
      trainSize: train.size,
      testSize: test.size,
    },
  };
}

/** Loads what `request` asks for. */
export function loadData(
  request: DataRequest,
  options: { base: string; progress: Progress },
): Promise<PageData> {
  return request.kind === 'mnist'
    ? loadMnist(options.base, options.progress)
    : loadImages(request, options.progress);
}

export type { ImageShape };
