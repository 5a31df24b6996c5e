// What a page imports to run the 2-D flow demo (browser-safe; src/main.ts is the Node script).
export {
  type Flow2dOptions,
  type Flow2dResult,
  fitFlow2d,
  gaussianBaseline,
  type ToyDensity,
  toyPoints,
} from './flow-2d.js';
export {
  type Bounds,
  boundsOf,
  densityGrid,
  type Grid,
  type GridSpec,
  histogramGrid,
  sideBySide,
} from './render.js';
