// Node-only entry point (`@vae/data/node`): reads MNIST from the file system.

export {
  EMOJI_CATEGORIES,
  type EmojiImageDataset,
  type EmojiSplit,
  type LoadEmojiImagesOptions,
  loadEmojiImages,
} from './emoji-images.js';
export { type LoadMnistOptions, loadMnist, type MnistSplit, mnistFiles } from './load-mnist.js';
