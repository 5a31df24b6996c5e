// Node-only entry point (`@vae/viz/node`): PNG files through pngjs.
export { decodePng, encodePng, writePng } from './png.js';
