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

function dense(inFeatures: number, outFeatures: number): number {
  return inFeatures * outFeatures + outFeatures;
}

/** The model's parameter count, computed from the config alone. */
export function parameterCount(config: RunConfig): number {
  const values = config.itemShape.reduce((a, b) => a * b, 1);
  const perValue = outputsPerValue(config);
  const latent = config.latent;
  let total = config.likelihood === 'gaussian' ? values : 0; // learned log-variances
  if (config.preset === 'mlp') {
    const widths = config.hidden ?? DEFAULT_HIDDEN;
    let width = values;
    for (const h of widths) {
      total += dense(width, h);
      width = h;
    }
    total += 2 * dense(width, latent);
    width = latent;
    for (const h of [...widths].reverse()) {
      total += dense(width, h);
      width = h;
    }
    total += dense(width, values * perValue);
  } else {
    const stages = convStages(config.itemShape, config.channels ?? DEFAULT_CHANNELS);
    for (const [i, stage] of stages.entries()) {
      const kernel = stage.kernel[0] * stage.kernel[1];
      const last = i === 0;
      total += kernel * stage.inChannels * stage.outChannels + stage.outChannels;
      const outChannels = last ? stage.inChannels * perValue : stage.inChannels;
      total += kernel * stage.outChannels * outChannels + outChannels;
    }
    const end = stages.at(-1);
    const flat = end === undefined ? values : end.output[0] * end.output[1] * end.outChannels;
    total += dense(flat, CONV_DENSE) + 2 * dense(CONV_DENSE, latent);
    total += dense(latent, CONV_DENSE) + dense(CONV_DENSE, flat);
    if (end === undefined) total += dense(flat, values * perValue) - dense(CONV_DENSE, flat);
  }
  if (config.prior === 'diagonal') total += 2 * latent;
  const components = config.priorComponents ?? 50;
  if (config.prior === 'mixture') total += components * (2 * latent + 1);
  if (config.prior === 'vamp') total += components * values;
  return total;
}
