import * as tf from '@tensorflow/tfjs-core';
import { binaryColumnsProduct, binaryRowsProduct, sparseBinaryOnes } from './binary-input.js';
import { denseActivationGrad, transpose2d } from './simd.js';
import {
  customGradWithSaved,
  type FusedActivation,
  fusedMatMul,
  recordingGradients,
} from './tfjs-internals.js';

/** Activations a dense layer can apply in the same kernel call (or right after, for tanh/softplus). */
export type DenseActivation =
  | 'linear'
  | 'relu'
  | 'leakyRelu'
  | 'sigmoid'
  | 'elu'
  | 'tanh'
  | 'softplus';

export interface DenseOptions {
  activation: DenseActivation;
  /** Negative slope of `leakyRelu`. */
  alpha: number;
  /** Whether d loss / d x is computed; false skips one matmul for a layer fed with data. */
  inputGradient: boolean;
}

const FUSED: Partial<Record<DenseActivation, FusedActivation>> = {
  linear: 'linear',
  relu: 'relu',
  leakyRelu: 'leakyrelu',
  sigmoid: 'sigmoid',
  elu: 'elu',
};

/** The weights of a dense layer: w [in, out] and an optional bias [out]. */
export interface DenseParams {
  w: tf.Tensor2D;
  b: tf.Tensor1D | undefined;
}

function forward(x: tf.Tensor2D, { w, b }: DenseParams, options: DenseOptions) {
  const fused = FUSED[options.activation];
  if (fused !== undefined) {
    // One kernel (tf.fused.matMul runs three whenever a gradient is being recorded).
    const [batch] = x.shape;
    const [, outFeatures] = w.shape;
    const y = fusedMatMul(tf.reshape(x, [1, ...x.shape]), tf.reshape(w, [1, ...w.shape]), {
      bias: b,
      activation: fused,
      leakyreluAlpha: options.alpha,
    });
    return tf.reshape(y, [batch, outFeatures]) as tf.Tensor2D;
  }
  const pre = b === undefined ? tf.matMul(x, w) : tf.add(tf.matMul(x, w), b);
  return options.activation === 'tanh' ? tf.tanh(pre) : tf.softplus(pre);
}

/**
 * Whether to compute x @ w as transpose(transpose(w) @ transpose(x)). wasm's
 * matmul (XNNPack) packs its second operand each time that tensor is new,
 * and the weights are new after every optimizer step: packing w [in, out]
 * costs more than packing transpose(x) [in, batch] when batch < out.
 */
function transposedForward(x: tf.Tensor2D, w: tf.Tensor2D): boolean {
  return x.shape[0] < w.shape[1] && w.size >= 65536;
}

function forwardTransposed(
  xt: tf.Tensor2D,
  { w, b }: DenseParams,
  options: DenseOptions,
): tf.Tensor {
  const preT = tf.matMul(transpose2d(w), xt) as tf.Tensor2D;
  // Transposed back with the bias (and relu) in the same pass.
  const relu = options.activation === 'relu';
  const biased = transpose2d(preT, { bias: b, relu });
  switch (options.activation) {
    case 'linear':
    case 'relu':
      return biased;
    case 'leakyRelu':
      return tf.leakyRelu(biased, options.alpha);
    case 'sigmoid':
      return tf.sigmoid(biased);
    case 'elu':
      return tf.elu(biased);
    case 'tanh':
      return tf.tanh(biased);
    case 'softplus':
      return tf.softplus(biased);
  }
}

/** Not the activations tfjs's fused product applies itself (leakyRelu, sigmoid, elu). */
const SUMMABLE_ACTIVATIONS: ReadonlySet<DenseActivation> = new Set([
  'linear',
  'relu',
  'tanh',
  'softplus',
]);

/**
 * The number of ones of x when x is binary and sparse and the layer can sum rows of w
 * for it (./binary-input.ts: a first layer, linear or relu, on wasm); else undefined.
 */
function binaryInputOnes(x: tf.Tensor2D, options: DenseOptions): number | undefined {
  const summable = SUMMABLE_ACTIVATIONS.has(options.activation);
  return options.inputGradient || !summable ? undefined : sparseBinaryOnes(x);
}

/** The forward pass for binary x: the same floats as {@link forward} or {@link forwardTransposed}. */
function binaryForward(x: tf.Tensor2D, { w, b }: DenseParams, options: DenseOptions) {
  const { activation } = options;
  if (activation === 'tanh' || activation === 'softplus') {
    // Both dense paths add the bias to the finished product, then apply the activation.
    const pre = binaryRowsProduct(x, w, { bias: b, biasFirst: false, relu: false });
    if (pre === undefined) return forward(x, { w, b }, options);
    const y = activation === 'tanh' ? tf.tanh(pre) : tf.softplus(pre);
    pre.dispose();
    return y;
  }
  // The bias where the dense path adds it: first in tfjs's fused product, last in ours.
  const biasFirst = !transposedForward(x, w);
  const relu = activation === 'relu';
  return binaryRowsProduct(x, w, { bias: b, biasFirst, relu }) ?? forward(x, { w, b }, options);
}

/** d loss / d pre-activation, from the upstream gradient and the layer's output `y`. */
function activationGrad(dy: tf.Tensor, y: tf.Tensor, options: DenseOptions): tf.Tensor {
  switch (options.activation) {
    case 'linear':
      return dy;
    case 'relu':
      return tf.mul(dy, tf.step(y));
    case 'leakyRelu':
      return tf.mul(dy, tf.step(y, options.alpha));
    case 'sigmoid':
      return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
    case 'elu':
      return tf.mul(dy, tf.add(tf.minimum(y, 0), 1));
    case 'tanh':
      return tf.mul(dy, tf.sub(1, tf.square(y)));
    case 'softplus':
      // sigmoid(pre) = 1 - exp(-softplus(pre))
      return tf.mul(dy, tf.neg(tf.expm1(tf.neg(y))));
  }
}

/**
 * dz @ transpose(w), computed as transpose(w @ dzT) when `dzT` (transpose(dz))
 * is given, which the caller does when batch < in (see transposesGradient): it
 * moves fewer bytes, since wasm's matmul repacks its second operand whenever that
 * tensor is new, and repacking a transposed [in, out] weight costs more than the
 * product itself for a 784x400 layer.
 */
function inputGrad(dz: tf.Tensor2D, dzT: tf.Tensor2D | undefined, w: tf.Tensor2D): tf.Tensor2D {
  if (dzT !== undefined) return transpose2d(tf.matMul(w, dzT) as tf.Tensor2D);
  return tf.matMul(dz, transpose2d(w));
}

/**
 * dz = d loss / d pre-activation, transpose(dz) when {@link inputGrad} wants it, and the
 * bias gradient: on wasm one kernel for linear and relu layers.
 */
function preActivationGrads(
  { dy, y }: { dy: tf.Tensor2D; y: tf.Tensor2D },
  w: tf.Tensor2D,
  options: DenseOptions,
): { dz: tf.Tensor2D; dzT: tf.Tensor2D | undefined; db: () => tf.Tensor } {
  const { activation } = options;
  const fused =
    activation === 'linear' || activation === 'relu'
      ? denseActivationGrad(dy, y, activation === 'relu')
      : undefined;
  if (fused !== undefined) return { ...fused, db: () => fused.db };
  const dz = activationGrad(dy, y, options) as tf.Tensor2D;
  const dzT = options.inputGradient && transposesGradient(dz, w) ? transpose2d(dz) : undefined;
  // Row sums of dz^T are contiguous; wasm's column sum of dz transposes first anyway.
  return { dz, dzT, db: () => (dzT === undefined ? tf.sum(dz, 0) : tf.sum(dzT, 1)) };
}

/** Whether {@link inputGrad} goes through transpose(dz), which the bias gradient can then reuse. */
function transposesGradient(dz: tf.Tensor2D, w: tf.Tensor2D): boolean {
  return dz.shape[0] < w.shape[0];
}

/**
 * y = activation(x @ w + b) for x [batch, in], w [in, out], b [out], with a
 * hand-written gradient that multiplies untransposed operands only:
 * dW = transpose(x) @ dz, dx = dz @ transpose(W), db = sum(dz, 0). tfjs's own
 * matmul gradient uses transposeA/transposeB, which the wasm backend runs ~10x
 * slower than a plain matmul.
 */
export function dense(x: tf.Tensor2D, params: DenseParams, options: DenseOptions): tf.Tensor2D {
  const { w, b } = params;
  const inputs: tf.Tensor[] = options.inputGradient ? [x, w] : [w];
  if (b !== undefined) inputs.push(b);
  // `w` is a variable, alive until the optimizer updates it after backprop (or kept below).
  // Made outside the op: tfjs's test-mode leak check counts any new tensor an op keeps.
  const ones = binaryInputOnes(x, options);
  const xt = ones === undefined && transposedForward(x, w) ? transpose2d(x) : undefined;
  const pass = () =>
    (ones !== undefined
      ? binaryForward(x, params, options)
      : xt === undefined
        ? forward(x, params, options)
        : forwardTransposed(xt, params, options)) as tf.Tensor2D;
  if (!recordingGradients()) {
    // Inference (sampling, evaluation): the same forward pass without the op's wrapper,
    // which costs about 0.3 ms a call on wasm.
    try {
      return tf.tidy(pass);
    } finally {
      xt?.dispose();
    }
  }
  return customGradWithSaved(inputs, (keep) => {
    const y = pass();
    // A weight computed in the forward pass (a MADE's masked one) is freed with it: keep it.
    const ws = w instanceof tf.Variable || !options.inputGradient ? w : keep(w);
    const xts = xt === undefined ? undefined : keep(xt);
    const xs = xt === undefined ? keep(x) : undefined;
    const ys = keep(y);
    return {
      value: y,
      gradFunc: (dy) => {
        const { dz, dzT, db } = preActivationGrads({ dy: dy as tf.Tensor2D, y: ys }, ws, options);
        const grads: tf.Tensor[] = [];
        if (options.inputGradient) {
          grads.push(inputGrad(dz, transposesGradient(dz, ws) ? dzT : undefined, ws));
        }
        const binary = ones === undefined ? undefined : binaryColumnsProduct(xs!, dz, ones);
        grads.push(binary ?? tf.matMul(xts ?? transpose2d(xs as tf.Tensor2D), dz));
        if (b !== undefined) grads.push(db());
        return grads;
      },
    };
  }) as tf.Tensor2D;
}
