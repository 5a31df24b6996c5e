// Public API of @vae/data: list every exported name explicitly (no export *).
// Node-only loaders live in `@vae/data/node` (src/node.ts).
export { VaeError } from '@vae/divergence';
export { type BatchIndicesOptions, batchIndices, shuffledIndices } from './batching.js';
export { dynamicBinarize, staticBinarize } from './binarize.js';
export {
  type BatchContext,
  type BatchTensor,
  type Binarization,
  createDataSource,
  type DataSource,
  type DataSourceOptions,
} from './data-source.js';
export {
  type ArrayValues,
  type Dataset,
  type DatasetLabels,
  type DatasetValues,
  type FromArrayOptions,
  fromArray,
  type ImageDataset,
  type ImageShape,
  type LabeledImageDataset,
  subset,
} from './dataset.js';
export { decodeImageFiles, type ImageFilesDataset } from './decode-image-files.js';
export { type FetchMnistOptions, fetchMnist } from './fetch-mnist.js';
export { type FromIdxOptions, imageDatasetFromIdx } from './image-dataset.js';
export type { ImageOptions } from './image-options.js';
export { DEFAULT_MAX_BYTES } from './limits.js';
export { encodeIdx, type IdxArray, type IdxData, type IdxDtype, parseIdx } from './parse-idx.js';
export {
  MAX_NPY_HEADER_BYTES,
  type NpyArray,
  type NpyData,
  type NpyDtype,
  type ParseNpyOptions,
  parseNpy,
} from './parse-npy.js';
export { type ReadIdxOptions, readIdx } from './read-idx.js';
export { type SplitOptions, split, splitIndices } from './split.js';
export {
  type GaussianMixtureOptions,
  gaussianMixture,
  type PointDataset,
  type TwoMoonsOptions,
  twoMoons,
} from './synthetic.js';
