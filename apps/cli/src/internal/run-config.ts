import { z } from 'zod';
import { DEFAULT_RESNET_CHANNELS } from './architecture.js';
import { CliError } from './errors.js';
import { readSmallText } from './small-file.js';

// config.json: what defines a run, read by `--resume`, `eval` and `sample`. Every
// field is checked with bounds before anything is built from it, so a damaged or
// hostile file is a one-line rejection naming the field, never a RangeError.

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const path = z.string().min(1).max(4096);

/** Where a run's images come from. */
export const dataSpecSchema = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('mnist'), directory: path.optional() }),
  z.strictObject({ source: z.literal('emoji') }),
  z.strictObject({
    source: z.literal('folder'),
    path,
    side: int(1, 4096).optional(),
    channels: z.union([z.literal(1), z.literal(3)]),
    testFraction: z.number().gt(0).lt(1),
  }),
  z.strictObject({ source: z.literal('npy'), path, testFraction: z.number().gt(0).lt(1) }),
]);

export type DataSpec = z.infer<typeof dataSpecSchema>;

/** The likelihoods p(x | z) the CLI trains. */
export const LIKELIHOODS = ['bernoulli', 'logistic-mixture', 'gaussian'] as const;
export type LikelihoodName = (typeof LIKELIHOODS)[number];

/**
 * The architectures the CLI trains: its own `mlp` and `conv`, and the @vae/nn
 * presets `hierarchical` (two stochastic layers, `hierarchicalVAE`), `resnet`
 * (residual blocks, `residualConvVAE`) and `autoregressive` (the MLP encoder with a
 * MADE decoder, `autoregressiveVAE`, binary data only).
 */
export const PRESETS = ['mlp', 'conv', 'hierarchical', 'resnet', 'autoregressive'] as const;
export type PresetName = (typeof PRESETS)[number];

/** The presets that are images only ([h, w, c]). */
export const IMAGE_PRESETS: readonly PresetName[] = ['conv', 'resnet'];

/** The posteriors q(z | x): the diagonal Gaussian, or an inverse autoregressive flow on it. */
export const POSTERIORS = ['gaussian', 'iaf'] as const;

/** The presets an IAF posterior goes on (the CLI's own, whose encoders are Gaussian). */
export const IAF_PRESETS: readonly PresetName[] = ['mlp', 'conv', 'autoregressive'];

/** The learning-rate schedules of `vae train --lr-schedule`. */
export const LR_SCHEDULES = ['cosine', 'constant'] as const;
export type LrScheduleName = (typeof LR_SCHEDULES)[number];

/** The most importance samples per training example (`--train-k`): the tape keeps k x batch decoder rows. */
export const MAX_TRAIN_K = 1000;

/** The priors p(z) the CLI trains. */
export const PRIORS = ['standard-normal', 'diagonal', 'mixture', 'vamp'] as const;

export const runConfigSchema = z.strictObject({
  format: z.literal('vae-run'),
  version: z.literal(2),
  /** The run's identity, also written in every checkpoint. */
  runId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  data: dataSpecSchema,
  /** The shape of one example as the model sees it ([28, 28, 1], [30, 30, 3], [d]). */
  itemShape: z.array(int(1, 65_536)).min(1).max(3),
  /** Training examples used (the first `limit` of the training split). */
  limit: int(1, 100_000_000),
  /** Test examples scored after every epoch (absent: the whole test split). */
  testLimit: int(1, 100_000_000).optional(),
  preset: z.enum(PRESETS),
  likelihood: z.enum(LIKELIHOODS),
  /** Mixture components of the discretized logistic likelihood. */
  components: int(1, 64).optional(),
  /**
   * Colour channels of the logistic mixture coupled as in PixelCNN++ (RGB images;
   * absent: independent channels, as runs before it were trained).
   */
  coupled: z.boolean().optional(),
  /** Latent dimensions (hierarchical: of z1; z2 has half as many, rounded up). */
  latent: int(1, 4096),
  /** Hidden layer widths of the mlp preset (hierarchical: x <-> z1; z1 <-> z2 has half the widths). */
  hidden: z.array(int(1, 16_384)).min(1).max(8).optional(),
  /** Channels of the conv preset's stride-2 layers (resnet: of its downsampling stages). */
  channels: z.array(int(1, 1024)).min(1).max(6).optional(),
  /** q(z | x) (absent: the diagonal Gaussian). */
  posterior: z.enum(POSTERIORS).optional(),
  /** IAF layers of an `iaf` posterior. */
  flowLayers: int(1, 16).optional(),
  prior: z.enum(PRIORS),
  priorComponents: int(1, 1000).optional(),
  epochs: int(1, 1_000_000),
  batchSize: int(1, 65_536),
  learningRate: z.number().gt(0).max(1e9),
  /**
   * `cosine`: from `learningRate` down to 0 over `epochs` (stretched when a resume
   * extends them); `constant` or absent (runs before schedules): `learningRate` throughout.
   */
  learningRateSchedule: z.enum(LR_SCHEDULES).optional(),
  /**
   * Steps of linear learning-rate warm-up from 0 before the schedule (absent:
   * none, as every run before it); the cosine then decays over the steps after it.
   */
  learningRateWarmup: int(1, 100_000_000).optional(),
  beta: z.number().min(0).max(1e6),
  warmup: z.number().min(0).max(1_000_000),
  /**
   * Importance samples per training example: the run trains the bound IWAE_k
   * (absent: the ELBO, as every run before it).
   */
  trainK: int(2, MAX_TRAIN_K).optional(),
  /** Free bits: the least KL charged per latent dimension and example, in nats (absent: none). */
  freeBits: z.number().gt(0).max(1e6).optional(),
  seed: int(0, 2 ** 32 - 1),
  /**
   * Training images held out as the validation split (the last `validation` of
   * the first `limit`; absent: none). The importance-weighted bound on them
   * picks best.ckpt; the test split is never used to choose.
   */
  validation: int(1, 100_000_000).optional(),
  /** Importance samples per validation image (with `validation`). */
  iwaeK: int(1, 100_000).optional(),
  /** Evaluate the validation bound after every this many epochs (with `validation`). */
  validateEvery: int(1, 1_000_000).optional(),
});

/** What `vae train` records about a run, so `--resume`, `eval` and `sample` rebuild the same model. */
export type RunConfig = z.infer<typeof runConfigSchema>;

/** The largest config.json we read (a real one is under 1 KiB). */
const MAX_CONFIG_BYTES = 1 << 20;

function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | null)?.[key];
  return value;
}

/** The first schema problem as "`field` message, got value". */
export function schemaProblem(error: z.ZodError, root: unknown): string {
  const issue = error.issues[0]!;
  const field = issue.path.length === 0 ? 'the file' : `\`${issue.path.join('.')}\``;
  const got =
    issue.code === 'unrecognized_keys' ? '' : `, got ${describeValue(valueAt(root, issue.path))}`;
  return `${field}: ${issue.message.replace(/^Invalid input: /, '')}${got}`;
}

/** What makes a preset unfit for the config's data or likelihood, or undefined. */
export function presetProblem(
  config: Pick<
    RunConfig,
    'preset' | 'itemShape' | 'likelihood' | 'channels' | 'posterior' | 'coupled'
  >,
): string | undefined {
  const { preset, itemShape } = config;
  if (
    config.coupled === true &&
    (config.likelihood !== 'logistic-mixture' || itemShape.at(-1) !== 3)
  ) {
    return `coupled colour channels need the logistic-mixture likelihood and RGB data (itemShape ending in 3), got ${config.likelihood} on itemShape ${describeValue(itemShape)}`;
  }
  if (config.posterior === 'iaf' && !IAF_PRESETS.includes(preset)) {
    const choices = `${IAF_PRESETS.slice(0, -1).join(', ')} or ${IAF_PRESETS.at(-1)}`;
    return `the ${preset} preset has no IAF posterior (use --preset ${choices})`;
  }
  if (IMAGE_PRESETS.includes(preset) && itemShape.length !== 3) {
    return `the ${preset} preset needs images [h, w, c], got itemShape ${describeValue(itemShape)}`;
  }
  if (preset === 'autoregressive' && config.likelihood !== 'bernoulli') {
    return `the autoregressive preset models binary data (--likelihood bernoulli), got ${config.likelihood}`;
  }
  if (
    config.likelihood === 'logistic-mixture' &&
    (preset === 'hierarchical' || preset === 'resnet')
  ) {
    return `the ${preset} preset has no logistic-mixture likelihood (use bernoulli or gaussian)`;
  }
  if (preset === 'resnet') {
    const factor = 2 ** (config.channels ?? DEFAULT_RESNET_CHANNELS).length;
    if (itemShape[0]! % factor !== 0 || itemShape[1]! % factor !== 0) {
      return `the resnet preset halves height and width once per channel stage, so they must be divisible by ${factor}, got itemShape ${describeValue(itemShape)}`;
    }
  }
  return undefined;
}

/** Checks parsed JSON against the schema; throws a one-line CliError naming the file and field. */
export function checkRunConfig(
  value: unknown,
  where: string,
  what = 'is not a valid run config',
): RunConfig {
  if (typeof value === 'object' && value !== null && 'version' in value && value.version === 1) {
    throw new CliError(
      `${where} is a version-1 run config (written before runs had an identity and a data source); this vae reads version 2: train the run again`,
    );
  }
  const parsed = runConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new CliError(`${where} ${what}: ${schemaProblem(parsed.error, value)}`);
  }
  const config = parsed.data;
  const problem = presetProblem(config);
  if (problem !== undefined) throw new CliError(`${where} ${what}: ${problem}`);
  return config;
}

/** Reads and checks a run folder's config.json; one-line errors for a missing, damaged or hostile one. */
export async function readRunConfig(
  paths: { directory: string; config: string },
  command: string,
): Promise<RunConfig> {
  const found = await readSmallText(paths.config, MAX_CONFIG_BYTES);
  if (found.problem !== undefined) {
    throw new CliError(
      found.problem === 'missing'
        ? `${command}: ${paths.directory} is not a run folder (no config.json)`
        : found.problem === 'too-large'
          ? `${command}: ${paths.config} is ${found.size} bytes; a run config is at most ${MAX_CONFIG_BYTES}`
          : `${command}: ${paths.config} is not a regular file`,
    );
  }
  const { text } = found;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `${command}: ${paths.config} is not valid JSON (${(error as Error).message})`,
    );
  }
  return checkRunConfig(value, `${command}: ${paths.config}`);
}

/** config.json's text. */
export function configText(config: RunConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
