// Node-only entry point (`@vae/data/node`): reads MNIST from the file system.
export { type LoadMnistOptions, loadMnist, type MnistSplit, mnistFiles } from './load-mnist.js';
