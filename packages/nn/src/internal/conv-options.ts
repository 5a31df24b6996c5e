import type * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import { glorotUniform, type Initializer, zeros } from '../initializers.js';
import { Module } from '../module.js';
import type { ConfigReader } from '../serialization/config-reader.js';
import type { ModuleConfig } from '../serialization/module-spec.js';
import type { ConvPadding } from './conv-filter-grad.js';
import { deriveSeed, randomSeed } from './seed.js';

/** A size given as one number for both spatial axes or as [height, width]. */
export type Size2 = number | readonly [number, number];

export function pair(value: Size2, owner: string, name: string): [number, number] {
  const out: [number, number] = typeof value === 'number' ? [value, value] : [value[0], value[1]];
  ensureArgument(
    out.every((v) => Number.isInteger(v) && v > 0),
    () => `${owner}: \`${name}\` must be positive integers, got ${JSON.stringify(value)}`,
  );
  return out;
}

export function positiveInteger(value: number, owner: string, name: string): number {
  ensureArgument(
    Number.isInteger(value) && value > 0,
    () => `${owner}: \`${name}\` must be a positive integer, got ${value}`,
  );
  return value;
}

/** Options every convolution layer takes (Conv2dOptions, ConvTranspose2dOptions). */
export interface ConvOptions {
  /** Channels of the input (its last axis). */
  inChannels: number;
  /** Channels of the output. */
  outChannels: number;
  /** The filter's height and width (one number for both). */
  kernelSize: Size2;
  /** Default 1. */
  stride?: Size2;
  /** 'same' (default) or 'valid'. */
  padding?: ConvPadding;
  /** Whether to add a learned bias (default true). */
  bias?: boolean;
  /** Weight initializer (default `glorotUniform`), fans are kh*kw*channels. */
  init?: Initializer;
  /** Seed of the initial weights. Random if omitted. */
  seed?: number;
}

/**
 * What Conv2d and ConvTranspose2d share: validated options, the filter and the
 * bias as parameters, and the configuration they save. `weightLayout` orders the
 * channel axes of the filter: [kh, kw, in, out] for a convolution, [kh, kw, out,
 * in] (tfjs's layout) for a transposed one. Fans are the same for both.
 */
export abstract class ConvLayer extends Module {
  /** The filter: [kh, kw, in, out] for a convolution, [kh, kw, out, in] for a transposed one. */
  readonly weight: tf.Variable<tf.Rank.R4>;
  /** The bias [outChannels], or `undefined` without one. */
  readonly bias: tf.Variable<tf.Rank.R1> | undefined;
  /** The filter's [height, width]. */
  readonly kernelSize: [number, number];
  /** The stride along [height, width]. */
  readonly stride: [number, number];
  /** `'same'` or `'valid'`. */
  readonly padding: ConvPadding;
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output. */
  readonly outChannels: number;

  protected constructor(options: ConvOptions, owner: string, weightLayout: 'in-out' | 'out-in') {
    super();
    this.inChannels = positiveInteger(options.inChannels, owner, 'inChannels');
    this.outChannels = positiveInteger(options.outChannels, owner, 'outChannels');
    this.kernelSize = pair(options.kernelSize, owner, 'kernelSize');
    this.stride = pair(options.stride ?? 1, owner, 'stride');
    this.padding = options.padding ?? 'same';
    ensureArgument(
      this.padding === 'same' || this.padding === 'valid',
      () => `${owner}: \`padding\` must be 'same' or 'valid', got ${JSON.stringify(this.padding)}`,
    );
    const [kh, kw] = this.kernelSize;
    const seed = options.seed ?? randomSeed();
    const fans = { fanIn: kh * kw * this.inChannels, fanOut: kh * kw * this.outChannels };
    const init = options.init ?? glorotUniform;
    const channels =
      weightLayout === 'in-out'
        ? [this.inChannels, this.outChannels]
        : [this.outChannels, this.inChannels];
    const shape = [kh, kw, ...channels];
    this.weight = this.createParameter('weight', shape, () =>
      init(shape, fans, deriveSeed(seed, 0)),
    ) as tf.Variable<tf.Rank.R4>;
    this.bias =
      (options.bias ?? true)
        ? (this.createParameter('bias', [this.outChannels], () =>
            zeros([this.outChannels], fans, 0),
          ) as tf.Variable<tf.Rank.R1>)
        : undefined;
  }

  override getConfig(): ModuleConfig {
    return {
      inChannels: this.inChannels,
      outChannels: this.outChannels,
      kernelSize: [...this.kernelSize],
      stride: [...this.stride],
      padding: this.padding,
      bias: this.bias !== undefined,
    };
  }
}

/** Reads what {@link ConvLayer.getConfig} wrote, for a layer's `fromConfig`. */
export function convOptionsFromConfig(read: ConfigReader): ConvOptions {
  const kernelSize = read.shape('kernelSize', { maxLength: 2 });
  const stride = read.shape('stride', { maxLength: 2 });
  return {
    inChannels: read.positiveInteger('inChannels'),
    outChannels: read.positiveInteger('outChannels'),
    kernelSize: [kernelSize[0]!, kernelSize[1] ?? kernelSize[0]!],
    stride: [stride[0]!, stride[1] ?? stride[0]!],
    padding: read.choice('padding', ['same', 'valid']),
    bias: read.boolean('bias', true),
  };
}
