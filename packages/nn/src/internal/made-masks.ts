// The connectivity of MADE (Germain et al. 2015): degrees and masks on the host.
//
// Input i has degree order[i] + 1 (1..D); a hidden unit has a degree in [0, D - 1]; a
// hidden unit of degree m sees the units of the layer below with degree <= m; the outputs of
// feature i see the hidden units of degree < order[i] + 1. So output i depends on input k
// only when order[k] < order[i]: the Jacobian is strictly triangular under the ordering.
import { seededUniform } from '@vae/divergence';

/** The degrees of the inputs: order[i] + 1. */
export function inputDegrees(order: readonly number[]): number[] {
  return order.map((position) => position + 1);
}

/**
 * Seeded hidden degrees (Germain et al.'s random assignment): layer l draws each unit's degree
 * uniformly from [min(lowest degree of the layer below, D - 1), D - 1], from stream l of `seed`.
 */
export function randomHiddenDegrees(
  features: number,
  hidden: readonly number[],
  seed: number,
): number[][] {
  const degrees: number[][] = [];
  let lowest = 1;
  for (const [layer, width] of hidden.entries()) {
    const uniform = seededUniform(seed, layer);
    const low = Math.min(lowest, features - 1);
    const span = features - low;
    const layerDegrees = Array.from({ length: width }, () => low + Math.floor(uniform() * span));
    degrees.push(layerDegrees);
    lowest = Math.min(...layerDegrees);
  }
  return degrees;
}

/** [in, out] row-major: 1 where out unit's degree >= in unit's degree (hidden layers). */
export function hiddenMask(
  inDegrees: readonly number[],
  outDegrees: readonly number[],
): Float32Array {
  const mask = new Float32Array(inDegrees.length * outDegrees.length);
  for (const [i, inDegree] of inDegrees.entries()) {
    for (const [j, outDegree] of outDegrees.entries()) {
      mask[i * outDegrees.length + j] = outDegree >= inDegree ? 1 : 0;
    }
  }
  return mask;
}

/**
 * [in, k * D] row-major: output column j * D + i (parameter j of feature i) sees the in unit
 * when its degree is < the degree of input i.
 */
export function outputMask(
  inDegrees: readonly number[],
  featureDegrees: readonly number[],
  outputsPerFeature: number,
): Float32Array {
  const features = featureDegrees.length;
  const width = outputsPerFeature * features;
  const mask = new Float32Array(inDegrees.length * width);
  for (const [h, inDegree] of inDegrees.entries()) {
    for (let j = 0; j < outputsPerFeature; j++) {
      for (const [i, featureDegree] of featureDegrees.entries()) {
        mask[h * width + j * features + i] = inDegree < featureDegree ? 1 : 0;
      }
    }
  }
  return mask;
}

/** True when `value` is a permutation of 0..n-1. */
export function isPermutation(value: unknown, n: number): value is number[] {
  if (!Array.isArray(value) || value.length !== n) return false;
  const seen = new Set<number>();
  for (const v of value) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= n || seen.has(v)) {
      return false;
    }
    seen.add(v);
  }
  return true;
}
