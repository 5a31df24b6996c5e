import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument } from '@vae/divergence';
import { glorotUniform, type Initializer, zeros } from '../initializers.js';
import { Module } from '../module.js';
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
  inChannels: number;
  outChannels: number;
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

/** Validated options and initial variables of a convolution layer. */
interface ConvSetup {
  inChannels: number;
  outChannels: number;
  kernelSize: [number, number];
  stride: [number, number];
  padding: ConvPadding;
  weight: tf.Variable<tf.Rank.R4>;
  bias: tf.Variable<tf.Rank.R1> | undefined;
}

/**
 * Validates a convolution's options and creates its variables. `weightLayout`
 * orders the channel axes of the filter: [kh, kw, in, out] for a convolution,
 * [kh, kw, out, in] (tfjs's layout) for a transposed one. Fans are the same for both.
 */
function convSetup(
  options: ConvOptions,
  owner: string,
  weightLayout: 'in-out' | 'out-in',
): ConvSetup {
  const inChannels = positiveInteger(options.inChannels, owner, 'inChannels');
  const outChannels = positiveInteger(options.outChannels, owner, 'outChannels');
  const kernelSize = pair(options.kernelSize, owner, 'kernelSize');
  const stride = pair(options.stride ?? 1, owner, 'stride');
  const [kh, kw] = kernelSize;
  const seed = options.seed ?? randomSeed();
  const fans = { fanIn: kh * kw * inChannels, fanOut: kh * kw * outChannels };
  const init = options.init ?? glorotUniform;
  const channels =
    weightLayout === 'in-out' ? [inChannels, outChannels] : [outChannels, inChannels];
  const weight = tf.tidy(() =>
    tf.variable(init([kh, kw, ...channels], fans, deriveSeed(seed, 0)) as tf.Tensor4D),
  );
  const bias =
    (options.bias ?? true)
      ? tf.tidy(() => tf.variable(zeros([outChannels], fans, 0) as tf.Tensor1D))
      : undefined;
  return {
    inChannels,
    outChannels,
    kernelSize,
    stride,
    padding: options.padding ?? 'same',
    weight,
    bias,
  };
}

/**
 * What Conv2d and ConvTranspose2d share: validated options, the filter and the
 * bias as parameters. `weightLayout` is as in {@link convSetup}.
 */
export abstract class ConvLayer extends Module {
  readonly weight: tf.Variable<tf.Rank.R4>;
  readonly bias: tf.Variable<tf.Rank.R1> | undefined;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: ConvPadding;
  readonly inChannels: number;
  readonly outChannels: number;

  protected constructor(options: ConvOptions, owner: string, weightLayout: 'in-out' | 'out-in') {
    super();
    const setup = convSetup(options, owner, weightLayout);
    this.inChannels = setup.inChannels;
    this.outChannels = setup.outChannels;
    this.kernelSize = setup.kernelSize;
    this.stride = setup.stride;
    this.padding = setup.padding;
    this.weight = this.addParameter('weight', setup.weight);
    this.bias = setup.bias && this.addParameter('bias', setup.bias);
  }
}
