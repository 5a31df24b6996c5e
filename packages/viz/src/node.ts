/**
 * PNG files in Node (through pngjs): encode, decode and write atomically.
 *
 * @module @vae/viz/node
 */
// Node-only entry point (`@vae/viz/node`): PNG files through pngjs.
export { decodePng, encodePng, writePng } from './png.js';
