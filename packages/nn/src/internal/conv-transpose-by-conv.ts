// A transposed convolution as one forward convolution and a depth-to-space shuffle.
//
// tfjs-wasm's Conv2DBackpropInput (tf.conv2dTranspose) is a plain loop: 150 ms for the
// conv preset's [128, 7, 7, 64] -> [128, 14, 14, 32] (kernel 4, stride 2) here, where
// its Conv2D runs through XNNPACK at ~48 GFLOP/s. Along one axis, output pixel i of a
// stride-s transposed conv with `pad` zeros before is the sum over a = i + pad - s*p of
// x[p] * filter[a]. Write i + pad = s*t + rho: the taps are a = rho + s*tau and the inputs
// x[t - tau], tau = 0 .. ceil(k / s) - 1. So position t of one stride-1 conv over a window
// of T = ceil(k / s) inputs, with output channel group rho holding the taps rho + s*tau,
// gives every pixel: a depth-to-space shuffle puts group rho of position t at s*t + rho,
// and the output is that image cropped by pad mod s. Each tap is used once (zero taps
// only where s does not divide k); the shuffle and the crop are one SIMD pass.
import * as tf from '@tensorflow/tfjs-core';
import { type ConvGeometry, padAmounts } from './conv-filter-grad.js';
import { depthToSpaceCropped } from './simd.js';

/** A transposed conv's geometry: the forward conv's, and the output shape [n, oh, ow, outC]. */
export interface TransposedConvGeometry extends ConvGeometry {
  outShape: readonly [number, number, number, number];
  /** A bias [outC] added to the output (in the same kernel where it can be), or none. */
  bias?: tf.Tensor | undefined;
}

/** One axis of the stride-1 conv: its window, padding, positions and the crop. */
interface AxisPlan {
  /** Inputs per window, ceil(kernel / stride). */
  window: number;
  /** The filter tap at window index j for phase rho, or -1 (none). */
  tap(j: number, rho: number): number;
  /** Zeros before and after the input (negative: rows cropped instead). */
  pad: [number, number];
  /** Where the output starts in the shuffled image. */
  crop: number;
}

function planAxis(
  [inSize, outSize]: [number, number],
  { kernel, stride, padBefore }: { kernel: number; stride: number; padBefore: number },
): AxisPlan {
  const window = Math.ceil(kernel / stride);
  // Output i comes from position t = floor((i + padBefore) / s), i in [0, outSize).
  const first = Math.floor(padBefore / stride);
  const positions = Math.floor((outSize - 1 + padBefore) / stride) - first + 1;
  // Position t's window is x[t - window + 1 .. t]; the conv's first position is `first`.
  const before = window - 1 - first;
  return {
    window,
    tap: (j, rho) => {
      const a = rho + stride * (window - 1 - j);
      return a < kernel ? a : -1;
    },
    pad: [before, positions + window - 1 - inSize - before],
    crop: padBefore - stride * first,
  };
}

/**
 * tf.conv2dTranspose(x, filter, outShape, stride, padding) (NHWC; `geometry` holds all
 * but x and the filter) as one stride-1 tf.conv2d and a depth-to-space shuffle with a
 * crop: x [n, h, w, inC], filter [kh, kw, outC, inC] (the forward conv's [kh, kw, in,
 * out] with in = outC), outShape [n, oh, ow, outC], where the forward conv of geometry
 * `geometry` maps [oh, ow] to [h, w]. Equal strides on both axes (the stride is
 * `geometry.stride[0]`). The stride-1 conv's filter is built from `filter` on each call
 * (a product with a one-hot selection of the kh*kw taps; no gradient flows through it:
 * callers run this inside a custom gradient). With `geometry.bias` [outC] the output
 * is the transposed conv plus the bias, added in the same kernel. Returns a new
 * tensor; the inputs stay the caller's.
 */
export function convTransposeByConv(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  geometry: TransposedConvGeometry,
): tf.Tensor4D {
  const { outShape, bias } = geometry;
  const [, height, width, inChannels] = x.shape;
  const [, outHeight, outWidth, outChannels] = outShape;
  const [kh, kw] = geometry.kernel;
  const s = geometry.stride[0];
  const rows = planAxis([height, outHeight], {
    kernel: kh,
    stride: s,
    padBefore: padAmounts([outHeight, height], 0, geometry)[0],
  });
  const cols = planAxis([width, outWidth], {
    kernel: kw,
    stride: s,
    padBefore: padAmounts([outWidth, width], 1, geometry)[0],
  });
  // The filter tap of each [window row, window col, phase row, phase col] (-1: a zero),
  // as the rows of a one-hot selection matrix: tfjs-wasm's GatherV2 took ~4 ms for these.
  const taps = kh * kw;
  const selection: number[] = [];
  for (let j = 0; j < rows.window; j++) {
    for (let i = 0; i < cols.window; i++) {
      for (let rhoH = 0; rhoH < s; rhoH++) {
        for (let rhoW = 0; rhoW < s; rhoW++) {
          const a = rows.tap(j, rhoH);
          const b = cols.tap(i, rhoW);
          const tap = a < 0 || b < 0 ? -1 : a * kw + b;
          for (let t = 0; t < taps; t++) selection.push(t === tap ? 1 : 0);
        }
      }
    }
  }
  return tf.tidy(() => {
    const flat = tf.reshape(filter, [taps, outChannels * inChannels]);
    const picked = tf.matMul(tf.tensor2d(selection, [selection.length / taps, taps]), flat);
    // [windowH, windowW, s*s, outC, inC] -> [windowH, windowW, inC, s*s*outC]
    const phased = tf.reshape(
      tf.transpose(
        tf.reshape(picked, [rows.window, cols.window, s * s, outChannels, inChannels]),
        [0, 1, 4, 2, 3],
      ),
      [rows.window, cols.window, inChannels, s * s * outChannels],
    ) as tf.Tensor4D;
    const input = padOrCrop(x, [rows.pad, cols.pad]);
    // Every phase is a pixel of the output, so the bias goes on each phase's channels.
    const phases =
      bias === undefined
        ? tf.conv2d(input, phased, 1, 'valid')
        : tf.fused.conv2d({
            x: input,
            filter: phased,
            strides: 1,
            pad: 'valid',
            bias: tf.tile(bias, [s * s]),
          });
    const window = { s, outH: outHeight, outW: outWidth, cropH: rows.crop, cropW: cols.crop };
    return depthToSpaceCropped(phases, window) ?? shuffleAndCrop(phases, window);
  });
}

/** {@link depthToSpaceCropped} with tfjs ops (backends without the SIMD kernels). */
function shuffleAndCrop(
  phases: tf.Tensor4D,
  {
    s,
    outH,
    outW,
    cropH,
    cropW,
  }: { s: number; outH: number; outW: number; cropH: number; cropW: number },
): tf.Tensor4D {
  const shuffled = s === 1 ? phases : depthToSpace(phases, s);
  const [n, height, width, channels] = shuffled.shape;
  return cropH === 0 && cropW === 0 && height === outH && width === outW
    ? shuffled
    : tf.slice(shuffled, [0, cropH, cropW, 0], [n, outH, outW, channels]);
}

/**
 * tf.conv2dTranspose(x, filter, outShape, stride, padding), by {@link convTransposeByConv}
 * on the wasm backend when the strides are equal (2.5-10x faster there: 151 -> ~14 ms for
 * the conv preset's first transposed conv on two threads) and by tfjs's kernel elsewhere
 * (on the cpu backend, whose Conv2D is a plain loop too, this way is 3-6x slower).
 * Arguments as {@link convTransposeByConv}'s.
 */
export function conv2dTranspose(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  geometry: TransposedConvGeometry,
): tf.Tensor4D {
  const { stride, padding, outShape, bias } = geometry;
  if (tf.getBackend() === 'wasm' && stride[0] === stride[1]) {
    return convTransposeByConv(x, filter, geometry);
  }
  return tf.tidy(() => {
    const y = tf.conv2dTranspose(x, filter, [...outShape], [stride[0], stride[1]], padding);
    return bias === undefined ? y : tf.add(y, bias);
  });
}

/**
 * tf.depthToSpace(x, s) as a reshape, one rank-4 transpose and a reshape: x [n, h, w,
 * s*s*c] viewed as [n*h, w, s, s*c] -> [n*h, s, w, s*c] = [n, h*s, w*s, c]. The wasm
 * backend's DepthToSpace kernel took 46.6 ms for [128, 7, 7, 128] here, this 3.3 ms.
 */
function depthToSpace(x: tf.Tensor4D, s: number): tf.Tensor4D {
  const [n, h, w, depth] = x.shape;
  const rows = tf.reshape(x, [n * h, w, s, depth / s]);
  return tf.reshape(tf.transpose(rows, [0, 2, 1, 3]), [n, h * s, w * s, depth / (s * s)]);
}

/** Pads (positive amounts) or crops (negative ones) the two spatial axes of x. */
function padOrCrop(x: tf.Tensor4D, amounts: [[number, number], [number, number]]): tf.Tensor4D {
  const pads = amounts.map(([before, after]) => [Math.max(before, 0), Math.max(after, 0)]);
  const needsPad = pads.some(([before, after]) => before! > 0 || after! > 0);
  const padded = needsPad
    ? tf.pad(x, [[0, 0], pads[0] as [number, number], pads[1] as [number, number], [0, 0]])
    : x;
  const crops = amounts.map(([before, after]) => [Math.max(-before, 0), Math.max(-after, 0)]);
  if (crops.every(([before, after]) => before === 0 && after === 0)) return padded;
  const [n, h, w, c] = padded.shape;
  return tf.slice(
    padded,
    [0, crops[0]![0]!, crops[1]![0]!, 0],
    [n, h - crops[0]![0]! - crops[0]![1]!, w - crops[1]![0]! - crops[1]![1]!, c],
  );
}
