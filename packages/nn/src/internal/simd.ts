// The layers' SIMD kernels (wat/nn-kernels.wat) on tfjs's wasm backend, through
// @vae/divergence/kernels, each with its tfjs-ops equivalent for every other backend
// (and a wasm backend without SIMD). Inputs are float32; the caller owns the outputs.
import * as tf from '@tensorflow/tfjs-core';
import { type TensorOnHeap, wasmKernel, wasmKernels } from '@vae/divergence/kernels';
import { NN_KERNELS_WASM } from './nn-kernels-wasm.js';

interface Exports {
  transpose(
    src: number,
    dst: number,
    rows: number,
    cols: number,
    bias: number,
    flags: number,
  ): void;
  denseGrad(
    dy: number,
    y: number,
    dz: number,
    dzT: number,
    db: number,
    rows: number,
    cols: number,
    flags: number,
  ): void;
  columnSums(src: number, dst: number, rows: number, cols: number): void;
  shuffleCrop(
    src: number,
    dst: number,
    n: number,
    positionsH: number,
    positionsW: number,
    s: number,
    channels: number,
    outH: number,
    outW: number,
    cropH: number,
    cropW: number,
  ): void;
  bernoulli(
    logits: number,
    x: number,
    out: number,
    grad: number,
    rows: number,
    cols: number,
    xRows: number,
  ): void;
}

const BIAS = 1;
const RELU = 2;

type Inputs = Record<string, TensorOnHeap>;

const transposeKernel = wasmKernel<Exports>(
  NN_KERNELS_WASM,
  'VaeTranspose2D',
  ({ exports, offsetOf, output }, { x, bias }: Inputs, { flags }) => {
    const [rows, cols] = x!.shape as [number, number];
    const y = output([cols, rows]);
    const biasOffset = bias === undefined ? 0 : offsetOf(bias);
    exports.transpose(offsetOf(x!), offsetOf(y), rows, cols, biasOffset, flags as number);
    return [y];
  },
);

const denseGradKernel = wasmKernel<Exports>(
  NN_KERNELS_WASM,
  'VaeDenseGrad',
  ({ exports, offsetOf, output }, { dy, y }: Inputs, { flags }) => {
    const [rows, cols] = dy!.shape as [number, number];
    const [dz, dzT, db] = [output([rows, cols]), output([cols, rows]), output([cols])];
    const yOffset = y === undefined ? 0 : offsetOf(y);
    exports.denseGrad(
      offsetOf(dy!),
      yOffset,
      offsetOf(dz),
      offsetOf(dzT),
      offsetOf(db),
      rows,
      cols,
      flags as number,
    );
    return [dz, dzT, db];
  },
);

const columnSumsKernel = wasmKernel<Exports>(
  NN_KERNELS_WASM,
  'VaeColumnSums',
  ({ exports, offsetOf, output }, { x }: Inputs) => {
    const [rows, cols] = x!.shape as [number, number];
    const y = output([cols]);
    exports.columnSums(offsetOf(x!), offsetOf(y), rows, cols);
    return [y];
  },
);

const shuffleCropKernel = wasmKernel<Exports>(
  NN_KERNELS_WASM,
  'VaeShuffleCrop',
  ({ exports, offsetOf, output }, { x }: Inputs, { s, outH, outW, cropH, cropW }) => {
    const [n, positionsH, positionsW, depth] = x!.shape as [number, number, number, number];
    const stride = s as number;
    const channels = depth / (stride * stride);
    const y = output([n, outH as number, outW as number, channels]);
    exports.shuffleCrop(
      offsetOf(x!),
      offsetOf(y),
      n,
      positionsH,
      positionsW,
      stride,
      channels,
      outH as number,
      outW as number,
      cropH as number,
      cropW as number,
    );
    return [y];
  },
);

const bernoulliKernel = wasmKernel<Exports>(
  NN_KERNELS_WASM,
  'VaeBernoulliLogLikelihood',
  ({ exports, offsetOf, output }, { logits, x }: Inputs, { gradient }) => {
    const [rows, cols] = logits!.shape as [number, number];
    const out = output([rows]);
    const grad = gradient === true ? output([rows, cols]) : undefined;
    exports.bernoulli(
      offsetOf(logits!),
      offsetOf(x!),
      offsetOf(out),
      grad === undefined ? 0 : offsetOf(grad),
      rows,
      cols,
      x!.shape[0]!,
    );
    return grad === undefined ? [out] : [out, grad];
  },
);

/** Whether the SIMD kernels run on the active backend (wasm with SIMD). */
export function simdAvailable(): boolean {
  return wasmKernels(NN_KERNELS_WASM) !== undefined;
}

/**
 * activation(transpose(x) + bias) for x [rows, cols] and bias [rows] (added along x's rows,
 * so along the result's columns): [cols, rows]. One pass on wasm; tfjs ops elsewhere.
 */
export function transpose2d(
  x: tf.Tensor2D,
  options: { bias?: tf.Tensor1D | undefined; relu?: boolean } = {},
): tf.Tensor2D {
  const { bias, relu = false } = options;
  const flags = (bias === undefined ? 0 : BIAS) | (relu ? RELU : 0);
  if (x.dtype === 'float32') {
    const inputs: tf.NamedTensorMap = bias === undefined ? { x } : { x, bias };
    const outputs = transposeKernel(inputs, { flags });
    if (outputs !== undefined) return outputs[0] as tf.Tensor2D;
  }
  return tf.tidy(() => {
    const t = tf.transpose(x) as tf.Tensor2D;
    const biased = bias === undefined ? t : (tf.add(t, bias) as tf.Tensor2D);
    return relu ? tf.relu(biased) : biased;
  });
}

/**
 * The column sums of x [rows, cols] -> [cols], rows added in order: one SIMD pass on
 * wasm (tfjs-wasm's Sum over axis 0 transposes first); `undefined` elsewhere.
 */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D | undefined {
  if (x.dtype !== 'float32') return undefined;
  const outputs = columnSumsKernel({ x }, {});
  return outputs === undefined ? undefined : (outputs[0] as tf.Tensor1D);
}

/**
 * Depth-to-space with a crop: x [n, ph, pw, s*s*c], whose channel group (rh*s + rw) at
 * [th, tw] is the pixel (s*th + rh, s*tw + rw) of a [n, s*ph, s*pw, c] image, ->
 * that image's [n, outH, outW, c] window starting at (cropH, cropW). One pass on wasm
 * with SIMD; `undefined` elsewhere (the caller shuffles with tfjs ops).
 */
export function depthToSpaceCropped(
  x: tf.Tensor4D,
  window: { s: number; outH: number; outW: number; cropH: number; cropW: number },
): tf.Tensor4D | undefined {
  if (x.dtype !== 'float32') return undefined;
  const outputs = shuffleCropKernel({ x }, window);
  return outputs === undefined ? undefined : (outputs[0] as tf.Tensor4D);
}

/**
 * The backward pass of a dense layer's linear or relu activation from dy [batch, out]
 * and its output y: dz (dy, zeroed where y <= 0 for relu), transpose(dz) and the column
 * sums of dz (the bias gradient), in one pass on wasm. `undefined` off wasm.
 */
export function denseActivationGrad(
  dy: tf.Tensor2D,
  y: tf.Tensor2D,
  relu: boolean,
): { dz: tf.Tensor2D; dzT: tf.Tensor2D; db: tf.Tensor1D } | undefined {
  if (dy.dtype !== 'float32' || y.dtype !== 'float32') return undefined;
  const outputs = denseGradKernel(relu ? { dy, y } : { dy }, { flags: relu ? RELU : 0 });
  if (outputs === undefined) return undefined;
  const [dz, dzT, db] = outputs as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
  return { dz, dzT, db };
}

/**
 * Σ over each row of x·l − softplus(l), the Bernoulli log-likelihood of x given logits
 * l [rows, cols], for x [xRows, cols] where row r of l goes with row r mod xRows of x;
 * with `gradient`, also x − sigmoid(l) [rows, cols], its derivative. One pass on wasm
 * (exp and log as SIMD polynomials, relative error ~1e-7); `undefined` off wasm.
 */
export function bernoulliRowLogLikelihood(
  logits: tf.Tensor2D,
  x: tf.Tensor2D,
  gradient: boolean,
): { value: tf.Tensor1D; gradient: tf.Tensor2D | undefined } | undefined {
  if (logits.dtype !== 'float32' || x.dtype !== 'float32') return undefined;
  const outputs = bernoulliKernel({ logits, x }, { gradient });
  if (outputs === undefined) return undefined;
  return { value: outputs[0] as tf.Tensor1D, gradient: outputs[1] as tf.Tensor2D | undefined };
}
