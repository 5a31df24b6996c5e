import { randomUUID } from 'node:crypto';
import {
  BUDGET_EPOCHS,
  DEFAULT_CONV_LR_WARMUP,
  DEFAULT_EPOCHS,
  DEFAULT_IWAE_K,
  type TrainOptions,
} from '../commands/train.js';
import { DEFAULT_FLOW_LAYERS } from '../internal/architecture.js';
import { CliError } from '../internal/errors.js';
import {
  checkRunConfig,
  type DataSpec,
  IMAGE_PRESETS,
  type PresetName,
  presetProblem,
  type RunConfig,
} from '../internal/run-config.js';
import type { RunData } from '../internal/run-data.js';

/**
 * Latent dimensions when `--latent` is not given: MNIST's classic 20 for mlp and
 * autoregressive, 32 for conv and resnet, Burda et al.'s 100 (z1; z2 has 50) for
 * hierarchical.
 */
function defaultLatent(preset: PresetName): number {
  return preset === 'mlp' || preset === 'autoregressive'
    ? 20
    : preset === 'hierarchical'
      ? 100
      : 32;
}

/**
 * Learning-rate warm-up steps when `--lr-warmup` is not given: the conv preset's
 * {@link DEFAULT_CONV_LR_WARMUP}, at most half a cosine run's steps (so a short
 * run still decays); none for the others. A given `--lr-warmup` must leave
 * a cosine run steps to decay over.
 */
function warmupSteps(
  options: TrainOptions,
  preset: PresetName,
  run: { totalSteps: number; cosine: boolean },
): number {
  const { totalSteps, cosine } = run;
  if (options.lrWarmup !== undefined) {
    if (cosine && options.lrWarmup >= totalSteps) {
      throw new CliError(
        `train: --lr-warmup ${options.lrWarmup} would last the whole run (${totalSteps} steps); give fewer steps, or --lr-schedule constant`,
      );
    }
    return options.lrWarmup;
  }
  if (preset !== 'conv') return 0;
  return cosine
    ? Math.min(DEFAULT_CONV_LR_WARMUP, Math.floor(totalSteps / 2))
    : DEFAULT_CONV_LR_WARMUP;
}

/**
 * The preset and likelihood that fit the data when the flags do not say: MNIST
 * keeps the classic MLP with a Bernoulli decoder on binarized digits; other
 * images get the conv preset, 8-bit ones the discretized logistic mixture; flat
 * or float data the MLP with a Gaussian.
 */
function defaults(spec: DataSpec, data: RunData) {
  const image = data.itemShape.length === 3;
  const preset: PresetName = spec.source === 'mnist' || !image ? 'mlp' : 'conv';
  const likelihood =
    spec.source === 'mnist' ? 'bernoulli' : data.eightBit ? 'logistic-mixture' : 'gaussian';
  return { preset, likelihood } as const;
}

/**
 * What makes `--train-k` or `--free-bits` unfit for the other flags, or undefined.
 * The importance-weighted bound has no KL term to weigh or to floor; free bits
 * floor a KL per latent dimension, which needs a diagonal Gaussian posterior and
 * prior (a mixture, a VampPrior, an IAF or a second stochastic layer have no
 * per-dimension KL in closed form).
 */
function objectiveProblem(options: TrainOptions, preset: PresetName): string | undefined {
  const k = options.trainK ?? 1;
  if (k > 1) {
    if (options.freeBits !== undefined) {
      return `--train-k ${k} trains the importance-weighted bound, which has no KL term for --free-bits; pass one of them`;
    }
    if (options.beta !== 1 || options.warmup > 0) {
      const flag = options.beta !== 1 ? `--beta ${options.beta}` : `--warmup ${options.warmup}`;
      return `--train-k ${k} trains the importance-weighted bound, which has no KL term to weigh; drop ${flag}`;
    }
  }
  if (options.freeBits !== undefined) {
    const unfit =
      preset === 'hierarchical'
        ? '--preset hierarchical'
        : options.posterior !== 'gaussian'
          ? `--posterior ${options.posterior}`
          : options.prior !== 'standard-normal' && options.prior !== 'diagonal'
            ? `--prior ${options.prior}`
            : undefined;
    if (unfit !== undefined) {
      return `--free-bits needs a Gaussian posterior and a standard-normal or diagonal prior (a KL per latent dimension in closed form); ${unfit} has none`;
    }
  }
  return undefined;
}

/** A new run's config.json from the flags and the loaded data, checked like a saved one. */
export function newRunConfig(options: TrainOptions, spec: DataSpec, data: RunData): RunConfig {
  const chosen = defaults(spec, data);
  const preset = options.preset ?? chosen.preset;
  const likelihood = options.likelihood ?? chosen.likelihood;
  if (likelihood === 'logistic-mixture' && !data.eightBit) {
    throw new CliError(
      'train: --likelihood logistic-mixture models 8-bit data (levels k / 255); this data is float32: use --likelihood gaussian',
    );
  }
  if (IMAGE_PRESETS.includes(preset) && data.itemShape.length !== 3) {
    throw new CliError(
      `train: --preset ${preset} needs images [h, w, c]; this data has examples of shape [${data.itemShape.join(', ')}]: use --preset mlp`,
    );
  }
  const problem = presetProblem({
    preset,
    itemShape: data.itemShape,
    likelihood,
    ...(options.convChannels === undefined ? {} : { channels: options.convChannels }),
    ...(options.posterior === 'iaf' ? { posterior: 'iaf' } : {}),
  });
  if (problem !== undefined) throw new CliError(`train: --preset ${preset}: ${problem}`);
  const objective = objectiveProblem(options, preset);
  if (objective !== undefined) throw new CliError(`train: ${objective}`);
  if (options.validation === undefined) {
    const orphan =
      options.iwaeK !== undefined
        ? '--iwae-k'
        : options.validateEvery !== undefined
          ? '--validate-every'
          : undefined;
    if (orphan !== undefined) {
      throw new CliError(
        `train: ${orphan} sets up the validation bound; pass --validation <n> too`,
      );
    }
  } else if (options.validation >= data.train.size) {
    throw new CliError(
      `train: --validation ${options.validation} would hold out every training example (there are ${data.train.size}); use fewer`,
    );
  }
  const epochs = options.epochs ?? (options.hours === undefined ? DEFAULT_EPOCHS : BUDGET_EPOCHS);
  // Cosine needs a known end: a budget run without --epochs keeps the rate constant.
  const schedule =
    options.lrSchedule ??
    (options.hours !== undefined && options.epochs === undefined ? 'constant' : 'cosine');
  const batchesPerEpoch = Math.ceil(
    (data.train.size - (options.validation ?? 0)) / options.batchSize,
  );
  const lrWarmup = warmupSteps(options, preset, {
    totalSteps: epochs * batchesPerEpoch,
    cosine: schedule === 'cosine',
  });
  const config = {
    format: 'vae-run',
    version: 2,
    runId: randomUUID(),
    data: spec,
    itemShape: data.itemShape,
    limit: data.train.size,
    ...(options.testLimit === undefined ? {} : { testLimit: data.test.size }),
    preset,
    likelihood,
    ...(likelihood === 'logistic-mixture' ? { components: options.components ?? 5 } : {}),
    ...(likelihood === 'logistic-mixture' && data.itemShape.at(-1) === 3 && options.coupling
      ? { coupled: true }
      : {}),
    latent: options.latent ?? defaultLatent(preset),
    ...(options.hidden === undefined ? {} : { hidden: options.hidden }),
    ...(options.convChannels === undefined ? {} : { channels: options.convChannels }),
    ...(options.posterior === 'iaf'
      ? { posterior: 'iaf', flowLayers: options.flowLayers ?? DEFAULT_FLOW_LAYERS }
      : {}),
    prior: options.prior,
    ...(options.priorComponents === undefined ? {} : { priorComponents: options.priorComponents }),
    epochs,
    batchSize: options.batchSize,
    learningRate: options.lr,
    learningRateSchedule: schedule,
    ...(lrWarmup > 0 ? { learningRateWarmup: lrWarmup } : {}),
    beta: options.beta,
    warmup: options.warmup,
    ...((options.trainK ?? 1) > 1 ? { trainK: options.trainK } : {}),
    ...(options.freeBits === undefined ? {} : { freeBits: options.freeBits }),
    seed: options.seed,
    ...(options.validation === undefined
      ? {}
      : {
          validation: options.validation,
          iwaeK: options.iwaeK ?? DEFAULT_IWAE_K,
          validateEvery: options.validateEvery ?? 1,
        }),
  };
  return checkRunConfig(config, 'train:', 'these options make no valid run');
}
