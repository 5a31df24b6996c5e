// A first dense layer fed with binary data (binarized images: ~13% ones for MNIST) on
// tfjs's wasm backend: x @ w sums the rows of w where x is 1, and the weight gradient
// transpose(x) @ dz sums rows of dz, instead of two dense products (and three transposes)
// over mostly zeros. Each output float is accumulated one term at a time, in the order
// XNNPACK's product accumulates it (k, resp. the batch row, increasing; a skipped term
// x * w = +-0 leaves any sum but -0 unchanged, and a sum that starts at +0 is never -0),
// so the values are the dense path's to the bit (test/binary-input.test.ts compares
// them), and seeded runs do not move. Two cases would differ: weights that are not
// finite (Inf * 0 is NaN in the dense product; training stops on a NaN loss first), and
// a bias of exactly -0 starting a sum no 1 reaches (-0 here, +0 there: equal values).
import * as tf from '@tensorflow/tfjs-core';
import { type TensorOnHeap, wasmKernel, wasmKernels } from '@vae/divergence/kernels';
import { NN_KERNELS_WASM } from './nn-kernels-wasm.js';

interface Exports {
  binaryCount(x: number, n: number): number;
  binaryRowsProduct(
    x: number,
    w: number,
    bias: number,
    out: number,
    list: number,
    rows: number,
    inner: number,
    cols: number,
    flags: number,
  ): void;
  binaryColumnsProduct(
    x: number,
    dz: number,
    out: number,
    starts: number,
    list: number,
    rows: number,
    inner: number,
    cols: number,
  ): void;
}

type Inputs = Record<string, TensorOnHeap>;

const BIAS_AFTER = 1;
const RELU = 2;
const BIAS_FIRST = 4;

/**
 * Above this share of ones the dense products (two threads) beat the sums (one thread).
 * The MLP's 784x400 layer, batch 128, forward and weight gradient (ms): 1.0 + 1.0 at 13%
 * ones, 1.5 + 1.5 at 20%, 2.2 + 2.3 at 30%, against ~2.3 + 1.8 dense.
 */
export const MAX_BINARY_DENSITY = 0.25;

const rowsProductKernel = wasmKernel<Exports>(
  NN_KERNELS_WASM,
  'VaeBinaryRowsProduct',
  ({ exports, offsetOf, output }, { x, w, bias }: Inputs, { flags }) => {
    const [rows, inner] = x!.shape as [number, number];
    const cols = w!.shape[1]!;
    const [y, list] = [output([rows, cols]), output([inner], 'int32')];
    const biasOffset = bias === undefined ? 0 : offsetOf(bias);
    const args = [offsetOf(x!), offsetOf(w!), biasOffset, offsetOf(y), offsetOf(list)] as const;
    exports.binaryRowsProduct(...args, rows, inner, cols, flags as number);
    return [y, list];
  },
);

const columnsProductKernel = wasmKernel<Exports>(
  NN_KERNELS_WASM,
  'VaeBinaryColumnsProduct',
  ({ exports, offsetOf, output }, { x, dz }: Inputs, { ones }) => {
    const [rows, inner] = x!.shape as [number, number];
    const cols = dz!.shape[1]!;
    const out = output([inner, cols]);
    const starts = output([inner + 1], 'int32');
    const list = output([Math.max(1, ones as number)], 'int32');
    const args = [
      offsetOf(x!),
      offsetOf(dz!),
      offsetOf(out),
      offsetOf(starts),
      offsetOf(list),
    ] as const;
    exports.binaryColumnsProduct(...args, rows, inner, cols);
    return [out, starts, list];
  },
);

/**
 * The number of ones in x when x is float32, made of zeros and ones only, and at most
 * {@link MAX_BINARY_DENSITY} ones, on wasm with SIMD; `undefined` otherwise (the caller
 * takes the dense product). One SIMD pass over x.
 */
export function sparseBinaryOnes(x: tf.Tensor2D): number | undefined {
  if (x.dtype !== 'float32' || x.size === 0) return undefined;
  const kernels = wasmKernels<Exports>(NN_KERNELS_WASM);
  if (kernels === undefined) return undefined;
  const ones = kernels.exports.binaryCount(kernels.offsetOf(x), x.size);
  return ones >= 0 && ones <= MAX_BINARY_DENSITY * x.size ? ones : undefined;
}

/**
 * act(x @ w + b) for binary x [batch, in] (checked by {@link sparseBinaryOnes}), w [in,
 * out], b [out]: the bias starts each sum (`biasFirst`, as tfjs's fused product does) or
 * is added after it (as our transposed product does), relu or none. `undefined` off wasm.
 */
export function binaryRowsProduct(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  options: { bias: tf.Tensor1D | undefined; biasFirst: boolean; relu: boolean },
): tf.Tensor2D | undefined {
  const { bias, biasFirst, relu } = options;
  const flags = (bias === undefined ? 0 : biasFirst ? BIAS_FIRST : BIAS_AFTER) | (relu ? RELU : 0);
  const inputs: tf.NamedTensorMap = bias === undefined ? { x, w } : { x, w, bias };
  const outputs = rowsProductKernel(inputs, { flags });
  if (outputs === undefined) return undefined;
  outputs[1]!.dispose();
  return outputs[0] as tf.Tensor2D;
}

/**
 * transpose(x) @ dz for binary x [batch, in] with `ones` ones (from
 * {@link sparseBinaryOnes}) and dz [batch, out]: the weight gradient [in, out] of a first
 * layer. `undefined` off wasm.
 */
export function binaryColumnsProduct(
  x: tf.Tensor2D,
  dz: tf.Tensor2D,
  ones: number,
): tf.Tensor2D | undefined {
  const outputs = columnsProductKernel({ x, dz }, { ones });
  if (outputs === undefined) return undefined;
  tf.dispose(outputs.slice(1));
  return outputs[0] as tf.Tensor2D;
}
