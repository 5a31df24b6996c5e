export {
  backendTolerance,
  expectClose,
  expectGettersDoNotAllocate,
  expectNoLeaks,
  FLOAT32,
  float32Bits,
  hostNumericGradient,
  numericGradient,
  type Tolerance,
} from './assertions.js';
export { memorySink } from './memory-save.js';
export {
  type DiscreteCase,
  type DistributionCase,
  flatNumbers,
  type KlCase,
  type ReferenceArray,
  type ReferenceNumber,
  type TorchReference,
  toNumbers,
  torchReference,
} from './reference.js';
export { tfjsContract, thrownBy } from './tfjs-contract.js';
