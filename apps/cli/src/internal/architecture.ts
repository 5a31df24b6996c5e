import type { RunConfig } from './run-config.js';

// The CLI's two architectures as plain data, so a config's size is known (and
// bounded) before a single weight is allocated, and the builder and the
// parameter count agree.

/** One stride-2 convolution of the conv preset and the transposed one that undoes it. */
export interface ConvStage {
  inChannels: number;
  outChannels: number;
  kernel: [number, number];
  padding: 'same' | 'valid';
  /** Spatial size before and after the convolution. */
  input: [number, number];
  output: [number, number];
}

/** The MLP's hidden widths when a config gives none (the classic 784-400-20). */
export const DEFAULT_HIDDEN = [400];
/** The conv preset's channels when a config gives none. */
export const DEFAULT_CHANNELS = [32, 64];
/** Width of the conv preset's dense layer. */
export const CONV_DENSE = 256;
/** The hierarchical preset's x <-> z1 widths when a config gives none (Burda et al.'s 200-200). */
export const DEFAULT_HIERARCHICAL_HIDDEN = [200, 200];
/** The resnet preset's stage channels when a config gives none (`residualConvVAE`'s default). */
export const DEFAULT_RESNET_CHANNELS = [16, 32];
/** Width of the resnet preset's dense layer (`residualConvVAE`'s default). */
export const RESNET_DENSE = 256;
/** Residual blocks after each resampling block of the resnet preset (`residualConvVAE`'s default). */
export const RESNET_BLOCKS = 1;
/** IAF layers of an `iaf` posterior when a config gives none. */
export const DEFAULT_FLOW_LAYERS = 2;
/** Hidden widths of each IAF layer's MADE. */
export const IAF_HIDDEN = [64, 64];
/** The most parameters a CLI model may have (256 MB of float32). */
export const MAX_MODEL_PARAMETERS = 64 * 2 ** 20;

/**
 * Stride-2 stages that halve each axis and that transposed convolutions undo
 * exactly: 'same' padding with 4x4 kernels when both axes are even; otherwise
 * 'valid' padding with a kernel of 4 on an even axis (s -> s/2 - 1 -> s) and 3 on
 * an odd one (s -> (s - 1)/2 -> s). Stops early when an axis would drop below 2.
 */
export function convStages(itemShape: readonly number[], channels: readonly number[]): ConvStage[] {
  const stages: ConvStage[] = [];
  let size: [number, number] = [itemShape[0]!, itemShape[1]!];
  let inChannels = itemShape[2]!;
  for (const outChannels of channels) {
    const even = size.map((s) => s % 2 === 0);
    const same = even[0]! && even[1]!;
    const kernel = size.map((s) => (same || s % 2 === 0 ? 4 : 3)) as [number, number];
    const output = size.map((s, axis) =>
      same ? s / 2 : Math.floor((s - kernel[axis]!) / 2) + 1,
    ) as [number, number];
    if (output.some((s) => s < 2)) break;
    stages.push({
      inChannels,
      outChannels,
      kernel,
      padding: same ? 'same' : 'valid',
      input: size,
      output,
    });
    size = output;
    inChannels = outChannels;
  }
  return stages;
}

/** Numbers the decoder outputs per data value: 3 K for a logistic mixture, else 1. */
export function outputsPerValue(config: RunConfig): number {
  return config.likelihood === 'logistic-mixture' ? 3 * (config.components ?? 5) : 1;
}

/**
 * Numbers the decoder outputs per spatial position of `channels` values: 10 K for
 * a coupled logistic mixture of RGB pixels (K logits, 3 K locations, 3 K
 * log-scales, 3 K coefficients), else `channels` times {@link outputsPerValue}.
 */
export function outputsPerPosition(config: RunConfig, channels: number): number {
  return config.coupled === true
    ? 10 * (config.components ?? 5)
    : channels * outputsPerValue(config);
}

/** Numbers the decoder outputs per example. */
export function decoderOutputs(config: RunConfig): number {
  const channels = config.itemShape.at(-1)!;
  const values = config.itemShape.reduce((a, b) => a * b, 1);
  return (values / channels) * outputsPerPosition(config, channels);
}

function dense(inFeatures: number, outFeatures: number): number {
  return inFeatures * outFeatures + outFeatures;
}

/** Half of each width, rounded up: the hierarchical preset's upper level from its lower one. */
export function halfWidths(widths: readonly number[]): number[] {
  return widths.map((w) => Math.ceil(w / 2));
}

/**
 * The hierarchical preset's levels: x <-> z1 widths and z1 <-> z2 widths (half
 * of them), and the sizes of z1 (`latent`) and z2 (half of it).
 */
export function hierarchicalLevels(config: RunConfig): {
  hidden: [number[], number[]];
  latents: [number, number];
} {
  const outer = [...(config.hidden ?? DEFAULT_HIERARCHICAL_HIDDEN)];
  return {
    hidden: [outer, halfWidths(outer)],
    latents: [config.latent, Math.ceil(config.latent / 2)],
  };
}

/** Dense layers through `widths` (a chain of Linear layers). */
function chain(widths: readonly number[]): number {
  let total = 0;
  for (let i = 1; i < widths.length; i++) total += dense(widths[i - 1]!, widths[i]!);
  return total;
}

function conv(kernel: number, inChannels: number, outChannels: number): number {
  return kernel * kernel * inChannels * outChannels + outChannels;
}

/** The parameters of `residualConvVAE` as the resnet preset builds it (prior and variance aside). */
function resnetCount(config: RunConfig): number {
  const [height, width, depth] = config.itemShape as [number, number, number];
  const channels = config.channels ?? DEFAULT_RESNET_CHANNELS;
  const latent = config.latent;
  // A block: conv1 (3x3, or a 4x4 transposed one upsampling), conv2 (3x3) and, when
  // it resamples or changes channels, a skip (2x2 resampling, else 1x1).
  const block = (c: number, out: number, resample: 'none' | 'down' | 'up') =>
    conv(resample === 'up' ? 4 : 3, c, out) +
    conv(3, out, out) +
    (resample === 'none' && c === out ? 0 : conv(resample === 'none' ? 1 : 2, c, out));
  const same = (c: number) => RESNET_BLOCKS * block(c, c, 'none');
  let total = conv(3, depth, channels[0]!);
  let c = channels[0]!;
  for (const out of channels) {
    total += block(c, out, 'down') + same(out);
    c = out;
  }
  const factor = 2 ** channels.length;
  const flat = (height / factor) * (width / factor) * c;
  total += dense(flat, RESNET_DENSE) + 2 * dense(RESNET_DENSE, latent);
  total += dense(latent, RESNET_DENSE) + dense(RESNET_DENSE, flat);
  for (let i = channels.length - 1; i >= 0; i--) {
    const out = channels[i - 1] ?? channels[0]!;
    total += same(c) + block(c, out, 'up');
    c = out;
  }
  return total + conv(3, c, depth);
}

/** The parameters of `hierarchicalVAE` as the hierarchical preset builds it (prior and variance aside). */
function hierarchicalCount(config: RunConfig, values: number): number {
  const { hidden, latents } = hierarchicalLevels(config);
  const [outer, inner] = hidden;
  const [d1, d2] = latents;
  return (
    chain([values, ...outer]) +
    2 * dense(outer.at(-1)!, d1) +
    chain([d1, ...inner]) +
    2 * dense(inner.at(-1)!, d2) +
    chain([d2, ...[...inner].reverse()]) +
    2 * dense(inner[0]!, d1) +
    chain([d1, ...[...outer].reverse()]) +
    dense(outer[0]!, values)
  );
}

/**
 * The parameters of an IAF posterior on `latent` dimensions conditioned on
 * `context` encoder features: per layer a MADE (masked dense layers through
 * {@link IAF_HIDDEN} to a mean and a gate per dimension) and two bias-free context
 * layers, into its first hidden layer and into its outputs.
 */
function iafCount(config: RunConfig, context: number): number {
  if (config.posterior !== 'iaf') return 0;
  const latent = config.latent;
  const perLayer =
    chain([latent, ...IAF_HIDDEN, 2 * latent]) + context * IAF_HIDDEN[0]! + context * 2 * latent;
  return (config.flowLayers ?? DEFAULT_FLOW_LAYERS) * perLayer;
}

/** The size of the latent the prior p(z) is over: z2 for the hierarchical preset, else z. */
export function priorLatent(config: RunConfig): number {
  return config.preset === 'hierarchical' ? hierarchicalLevels(config).latents[1] : config.latent;
}

/** The model's parameter count, computed from the config alone. */
export function parameterCount(config: RunConfig): number {
  const values = config.itemShape.reduce((a, b) => a * b, 1);
  const latent = priorLatent(config);
  let total = config.likelihood === 'gaussian' ? values : 0; // learned log-variances
  if (config.preset === 'hierarchical') {
    total += hierarchicalCount(config, values);
  } else if (config.preset === 'resnet') {
    total += resnetCount(config);
  } else if (config.preset === 'autoregressive' || config.preset === 'mlp') {
    const widths = config.hidden ?? DEFAULT_HIDDEN;
    // The mlp encoder: values -> widths -> (loc, log-variance), and its IAF steps.
    const top = widths.at(-1) ?? values;
    total += chain([values, ...widths]) + 2 * dense(top, latent) + iafCount(config, top);
    const mirrored = [...widths].reverse();
    if (config.preset === 'mlp') {
      total += chain([latent, ...mirrored, decoderOutputs(config)]);
    } else {
      // The MADE decoder: masked layers values -> widths reversed -> values, and z read
      // (no bias) into its first hidden layer and into its outputs.
      total += chain([values, ...mirrored, values]) + latent * mirrored[0]! + latent * values;
    }
  } else {
    const stages = convStages(config.itemShape, config.channels ?? DEFAULT_CHANNELS);
    for (const [i, stage] of stages.entries()) {
      const kernel = stage.kernel[0] * stage.kernel[1];
      const last = i === 0;
      total += kernel * stage.inChannels * stage.outChannels + stage.outChannels;
      const outChannels = last ? outputsPerPosition(config, stage.inChannels) : stage.inChannels;
      total += kernel * stage.outChannels * outChannels + outChannels;
    }
    const end = stages.at(-1);
    const flat = end === undefined ? values : end.output[0] * end.output[1] * end.outChannels;
    total += dense(flat, CONV_DENSE) + 2 * dense(CONV_DENSE, latent);
    total += iafCount(config, CONV_DENSE);
    total += dense(latent, CONV_DENSE) + dense(CONV_DENSE, flat);
    if (end === undefined) total += dense(flat, decoderOutputs(config)) - dense(CONV_DENSE, flat);
  }
  if (config.prior === 'diagonal') total += 2 * latent;
  const components = config.priorComponents ?? 50;
  if (config.prior === 'mixture') total += components * (2 * latent + 1);
  if (config.prior === 'vamp') total += components * values;
  return total;
}
