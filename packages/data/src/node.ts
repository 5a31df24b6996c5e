// Node-only entry point (`@vae/data/node`): loaders that read the file system.

export {
  EMOJI_CATEGORIES,
  type EmojiImageDataset,
  type EmojiSplit,
  type LoadEmojiImagesOptions,
  loadEmojiImages,
} from './emoji-images.js';
export { type LoadIdxOptions, loadIdx } from './load-idx.js';
export {
  type ImageFolderDataset,
  type LoadImageFolderOptions,
  loadImageFolder,
} from './load-image-folder.js';
export { type LoadMnistOptions, loadMnist, type MnistSplit, mnistFiles } from './load-mnist.js';
export { type LoadNpyOptions, loadNpy } from './load-npy.js';
