import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import { type ConvPadding, convBiasGrad, convFilterGrad } from './internal/conv-filter-grad.js';
import { ConvLayer, type ConvOptions, convOptionsFromConfig } from './internal/conv-options.js';
import { conv2dTranspose } from './internal/conv-transpose-by-conv.js';
import { customGradWithSaved, recordingGradients } from './internal/tfjs-internals.js';
import type { ModuleConfig } from './serialization/module-spec.js';
import type { BuildContext } from './serialization/registry.js';

/** Options of {@link ConvTranspose2d}. */
export interface ConvTranspose2dOptions extends ConvOptions {
  /** 'same' (default; output size in * stride) or 'valid' (output (in - 1) * stride + kernel). */
  padding?: ConvPadding;
}

/**
 * A transposed 2-D convolution (the gradient of `Conv2d` with respect to its
 * input) on NHWC tensors: x [batch, h, w, inChannels] -> [batch, oh, ow,
 * outChannels]; weight [kh, kw, outChannels, inChannels] (tfjs's layout),
 * bias [outChannels]. The gradient is hand-written so it trains on wasm. On
 * wasm the forward pass is one stride-1 forward conv whose output channels are
 * the stride x stride phases of the output, then a depth-to-space shuffle
 * (tfjs-wasm's own transposed conv is a plain loop, ~10x slower); elsewhere it is
 * tfjs's `conv2dTranspose`. Both agree to float32 rounding.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ConvTranspose2d } from '@vae/nn';
 * const up = new ConvTranspose2d({ inChannels: 32, outChannels: 1, kernelSize: 4, stride: 2, seed: 1 });
 * up.apply(tf.zeros([8, 14, 14, 32])); // [8, 28, 28, 1]
 * ```
 */
export class ConvTranspose2d extends ConvLayer {
  /** The name this class is saved under in `model.json`. */
  static readonly className: string = 'ConvTranspose2d';

  /** Rebuilds the layer from {@link ConvLayer.getConfig}'s output (fresh weights). */
  static fromConfig(config: ModuleConfig, context: BuildContext): ConvTranspose2d {
    return new ConvTranspose2d(convOptionsFromConfig(context.read(config, 'ConvTranspose2d')));
  }

  /**
   * A transposed 2-D convolution layer with its own weights.
   *
   * @param options - Channels, kernel size, stride, padding, initializer and seed; see {@link ConvTranspose2dOptions}.
   */
  constructor(options: ConvTranspose2dOptions) {
    super(options, 'ConvTranspose2d', 'out-in');
  }

  /** Output spatial size for an input of `size` along an axis (0 = height, 1 = width). */
  outputSize(size: number, axis: 0 | 1): number {
    const stride = this.stride[axis];
    return this.padding === 'same' ? size * stride : (size - 1) * stride + this.kernelSize[axis];
  }

  /** x [batch, h, w, inChannels] -> [batch, oh, ow, outChannels]. */
  call(x: tf.Tensor): tf.Tensor {
    ensureArgument(
      x.rank === 4 && x.shape[3] === this.inChannels,
      () =>
        `ConvTranspose2d: input must be [batch, h, w, ${this.inChannels}], got a tensor of shape [${x.shape}]`,
    );
    const { stride, padding, kernelSize, bias } = this;
    const [batch, height, width] = x.shape as [number, number, number, number];
    const outShape: [number, number, number, number] = [
      batch,
      this.outputSize(height, 0),
      this.outputSize(width, 1),
      this.outChannels,
    ];
    const geometry = { kernel: kernelSize, stride, padding };
    if (!recordingGradients()) {
      // Inference (sampling, evaluation): the bias goes on in the conv's kernel, and no
      // custom-gradient wrapper. Training keeps its own order of float operations.
      return conv2dTranspose(x as tf.Tensor4D, this.weight as tf.Tensor4D, {
        ...geometry,
        outShape,
        bias,
      });
    }
    const inputs: tf.Tensor[] = [x, this.weight];
    if (bias !== undefined) inputs.push(bias);
    return customGradWithSaved(inputs, (keep) => {
      const input = x as tf.Tensor4D;
      const xs = keep(input);
      const conv = conv2dTranspose(input, this.weight, { ...geometry, outShape });
      const y = bias === undefined ? conv : tf.add(conv, bias);
      return {
        value: y,
        gradFunc: (dy) => {
          const dy4 = dy as tf.Tensor4D;
          const grads: tf.Tensor[] = [
            tf.conv2d(dy4, this.weight, stride, padding),
            convFilterGrad(dy4, xs, geometry),
          ];
          if (bias !== undefined) grads.push(convBiasGrad(dy4));
          return grads;
        },
      };
    });
  }
}
