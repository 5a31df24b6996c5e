import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import { type ConvPadding, convBiasGrad, convFilterGrad } from './internal/conv-filter-grad.js';
import { ConvLayer, type ConvOptions, convOptionsFromConfig } from './internal/conv-options.js';
import { conv2dTranspose } from './internal/conv-transpose-by-conv.js';
import { customGradWithSaved, recordingGradients } from './internal/tfjs-internals.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/** Options of {@link Conv2d}. */
export interface Conv2dOptions extends ConvOptions {
  /** 'same' (default; output size ceil(in / stride)) or 'valid'. */
  padding?: ConvPadding;
}

/**
 * A 2-D convolution on NHWC tensors: x [batch, h, w, inChannels] ->
 * [batch, oh, ow, outChannels]; weight [kh, kw, inChannels, outChannels], bias
 * [outChannels]. Its gradient is hand-written so it also trains on the wasm
 * backend, which lacks a Conv2DBackpropFilter kernel (and whose transposed conv,
 * the input gradient, runs here as a forward conv: see `ConvTranspose2d`).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Conv2d } from '@vae/nn';
 * const conv = new Conv2d({ inChannels: 1, outChannels: 32, kernelSize: 4, stride: 2, seed: 1 });
 * conv.apply(tf.zeros([8, 28, 28, 1])); // [8, 14, 14, 32]
 * ```
 */
export class Conv2d extends ConvLayer {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'Conv2d';

  /** Rebuilds the layer from {@link ConvLayer.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): Conv2d {
    return new Conv2d(convOptionsFromConfig(context.read(config, 'Conv2d')));
  }

  /**
   * A 2-D convolution layer with its own weights.
   *
   * @param options - Channels, kernel size, stride, padding, initializer and seed; see {@link Conv2dOptions}.
   */
  constructor(options: Conv2dOptions) {
    super(options, 'Conv2d', 'in-out');
  }

  /** x [batch, h, w, inChannels] -> [batch, oh, ow, outChannels]. */
  call(x: tf.Tensor): tf.Tensor {
    ensureArgument(
      x.rank === 4 && x.shape[3] === this.inChannels,
      () =>
        `Conv2d: input must be [batch, h, w, ${this.inChannels}], got a tensor of shape [${x.shape}]`,
    );
    const { stride, padding, kernelSize, bias } = this;
    const geometry = { kernel: kernelSize, stride, padding };
    if (!recordingGradients()) {
      // Inference (sampling, evaluation): the bias goes on in the conv's kernel (a
      // separate broadcast add of [n, h, w, c] costs a third of the conv on wasm), and
      // no custom-gradient wrapper. Training keeps its own order of float operations.
      return tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: this.weight as tf.Tensor4D,
        strides: stride,
        pad: padding,
        ...(bias === undefined ? {} : { bias }),
      });
    }
    const inputs: tf.Tensor[] = [x, this.weight];
    if (bias !== undefined) inputs.push(bias);
    return customGradWithSaved(inputs, (keep) => {
      const input = x as tf.Tensor4D;
      const xs = keep(input);
      const conv = tf.conv2d(input, this.weight, stride, padding);
      const y = bias === undefined ? conv : tf.add(conv, bias);
      return {
        value: y,
        gradFunc: (dy) => {
          const dy4 = dy as tf.Tensor4D;
          const grads: tf.Tensor[] = [
            conv2dTranspose(dy4, this.weight, { ...geometry, outShape: xs.shape }),
            convFilterGrad(xs, dy4, geometry),
          ];
          if (bias !== undefined) grads.push(convBiasGrad(dy4));
          return grads;
        },
      };
    });
  }
}
