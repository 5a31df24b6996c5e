// Public API of @vae/data: list every exported name explicitly (no export *).
// Node-only loaders live in `@vae/data/node` (src/node.ts).
export { VaeError } from '@vae/divergence';
export { type BatchIndicesOptions, batchIndices, shuffledIndices } from './batching.js';
export { dynamicBinarize, staticBinarize } from './binarize.js';
export {
  type Binarization,
  createDataSource,
  type DataSource,
  type DataSourceOptions,
} from './data-source.js';
export { type FetchMnistOptions, fetchMnist } from './fetch-mnist.js';
export { type FromIdxOptions, type ImageDataset, imageDatasetFromIdx } from './image-dataset.js';
export { encodeIdx, type IdxArray, type IdxData, type IdxDtype, parseIdx } from './parse-idx.js';
export {
  type GaussianMixtureOptions,
  gaussianMixture,
  type PointDataset,
  type TwoMoonsOptions,
  twoMoons,
} from './synthetic.js';
