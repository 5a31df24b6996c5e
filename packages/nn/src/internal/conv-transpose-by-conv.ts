// A transposed convolution as one forward convolution and a depth-to-space shuffle.
//
// tfjs-wasm's Conv2DBackpropInput (tf.conv2dTranspose) is a plain loop: 150 ms for the
// conv preset's [128, 7, 7, 64] -> [128, 14, 14, 32] (kernel 4, stride 2) here, where
// its Conv2D runs through XNNPACK at ~48 GFLOP/s. Every output pixel i = s*m + r of a
// stride-s transposed conv (phase r) is a stride-1 correlation of the input around m
// with the filter taps a = r + pad (mod s), so all s*s phases are one stride-1 conv
// whose output channels are the phases, followed by a depth-to-space shuffle.
import * as tf from '@tensorflow/tfjs-core';
import { type ConvGeometry, padAmounts } from './conv-filter-grad.js';

/** A transposed conv's geometry: the forward conv's, and the output shape [n, oh, ow, outC]. */
export interface TransposedConvGeometry extends ConvGeometry {
  outShape: readonly [number, number, number, number];
}

/** The taps of one phase along one axis: offset u in the input -> filter index a. */
interface PhaseTaps {
  offsets: number[];
  taps: number[];
}

/** Per phase r (0..s-1) of one axis: which filter taps meet which input offsets. */
function phasesOfAxis(kernel: number, stride: number, padBefore: number): PhaseTaps[] {
  return Array.from({ length: stride }, (_, r) => {
    const first = (r + padBefore) % stride;
    const q = Math.floor((r + padBefore) / stride);
    const offsets: number[] = [];
    const taps: number[] = [];
    for (let a = first, t = 0; a < kernel; a += stride, t++) {
      offsets.push(q - t);
      taps.push(a);
    }
    return { offsets, taps };
  });
}

/** The offsets every phase of an axis reads, as [lowest, window length]. */
function windowOf(phases: PhaseTaps[]): [number, number] {
  const all = phases.flatMap((p) => p.offsets);
  if (all.length === 0) return [0, 1];
  const low = Math.min(...all);
  return [low, Math.max(...all) - low + 1];
}

/**
 * tf.conv2dTranspose(x, filter, outShape, stride, padding), by {@link convTransposeByConv}
 * on the wasm backend when the strides are equal (2.5-6x faster there: 151 -> 26 ms for
 * the conv preset's first transposed conv on two threads) and by tfjs's kernel elsewhere
 * (on the cpu backend, whose Conv2D is a plain loop too, the stride-1 conv's zero taps make
 * this 2.5-4x slower). Arguments as {@link convTransposeByConv}'s.
 */
export function conv2dTranspose(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  geometry: TransposedConvGeometry,
): tf.Tensor4D {
  const { stride, padding, outShape } = geometry;
  if (tf.getBackend() === 'wasm' && stride[0] === stride[1]) {
    return convTransposeByConv(x, filter, geometry);
  }
  return tf.conv2dTranspose(x, filter, [...outShape], [stride[0], stride[1]], padding);
}

/**
 * tf.conv2dTranspose(x, filter, outShape, stride, padding) (NHWC; `geometry` holds all
 * but x and the filter) as one stride-1
 * tf.conv2d and a depth-to-space shuffle: x [n, h, w, inC], filter [kh, kw, outC, inC] (the
 * forward conv's [kh, kw, in, out] with in = outC), outShape [n, oh, ow, outC], where
 * the forward conv of geometry `geometry` maps [oh, ow] to [h, w]. Equal strides only
 * (the strides are `geometry.stride[0]`). The filter of the stride-1 conv is built from
 * `filter` on each call (a gather of kh*kw taps; no gradient flows through it: callers
 * run this inside a custom gradient). Returns a new tensor; the inputs stay the caller's.
 */
export function convTransposeByConv(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  geometry: TransposedConvGeometry,
): tf.Tensor4D {
  const { outShape } = geometry;
  const [, height, width, inChannels] = x.shape;
  const [batch, outHeight, outWidth, outChannels] = outShape;
  const [kh, kw] = geometry.kernel;
  const s = geometry.stride[0];
  const rows = phasesOfAxis(kh, s, padAmounts([outHeight, height], 0, geometry)[0]);
  const cols = phasesOfAxis(kw, s, padAmounts([outWidth, width], 1, geometry)[0]);
  const [lowH, windowH] = windowOf(rows);
  const [lowW, windowW] = windowOf(cols);
  // Filter tap of each [window row, window col, phase] (-1: none, a zero), as the rows
  // of a one-hot selection matrix: tfjs-wasm's GatherV2 took ~4 ms for these 36 rows.
  const taps = kh * kw;
  const selection: number[] = [];
  for (let j = 0; j < windowH; j++) {
    for (let i = 0; i < windowW; i++) {
      for (const row of rows) {
        for (const col of cols) {
          const a = row.offsets.indexOf(j + lowH);
          const b = col.offsets.indexOf(i + lowW);
          const tap = a < 0 || b < 0 ? -1 : row.taps[a]! * kw + col.taps[b]!;
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
        tf.reshape(picked, [windowH, windowW, s * s, outChannels, inChannels]),
        [0, 1, 4, 2, 3],
      ),
      [windowH, windowW, inChannels, s * s * outChannels],
    ) as tf.Tensor4D;
    // Phase m reads input rows m + lowH .. m + lowH + windowH - 1, zero outside.
    const phaseRows = Math.ceil(outHeight / s);
    const phaseCols = Math.ceil(outWidth / s);
    const padded = padOrCrop(x, [
      [-lowH, phaseRows + windowH - 1 - height + lowH],
      [-lowW, phaseCols + windowW - 1 - width + lowW],
    ]);
    const phases = tf.conv2d(padded, phased, 1, 'valid');
    const shuffled = s === 1 ? phases : depthToSpace(phases, s);
    return phaseRows * s === outHeight && phaseCols * s === outWidth
      ? shuffled
      : tf.slice(shuffled, [0, 0, 0, 0], [batch, outHeight, outWidth, outChannels]);
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
