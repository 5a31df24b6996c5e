import { Command, Option } from 'commander';
import type { BackendChoice } from '../internal/backend-options.js';
import type { CliIo } from '../internal/io.js';
import {
  boundedInteger,
  boundedNonNegativeInteger,
  hoursNumber,
  nonNegativeNumber,
  positiveNumber,
  seedNumber,
  widthList,
} from '../internal/parse.js';
import {
  LIKELIHOODS,
  LR_SCHEDULES,
  type LrScheduleName,
  MAX_TRAIN_K,
  POSTERIORS,
  PRESETS,
  PRIORS,
} from '../internal/run-config.js';
import {
  addBackend,
  addDataOptions,
  addVerbosity,
  type DataOptions,
  routeOutput,
  type VerbosityOptions,
} from './common-options.js';

/** Default epochs: about two minutes of MNIST on this machine's wasm backend (see the README). */
export const DEFAULT_EPOCHS = 10;

/** The epochs of a run given `--hours` and no `--epochs`: as many as the budget allows. */
export const BUDGET_EPOCHS = 1_000_000;

/** The largest `--stop-at-step` (Number.MAX_SAFE_INTEGER: a bound on a typo, not on runs). */
const MAX_STOP_STEP = Number.MAX_SAFE_INTEGER;

/**
 * Learning-rate warm-up of the conv preset, in steps: at Adam's full rate from the
 * first step its posterior collapsed (KL 0) in 2 of 3 seeds on MNIST.
 */
export const DEFAULT_CONV_LR_WARMUP = 200;

/** Default importance samples per validation image of `--validation`. */
export const DEFAULT_IWAE_K = 50;

/** What `vae train` is given (commander's parsed options). */
export interface TrainOptions extends BackendChoice, VerbosityOptions, DataOptions {
  preset?: (typeof PRESETS)[number];
  likelihood?: (typeof LIKELIHOODS)[number];
  components?: number;
  coupling: boolean;
  latent?: number;
  hidden?: number[];
  convChannels?: number[];
  posterior: (typeof POSTERIORS)[number];
  flowLayers?: number;
  prior: (typeof PRIORS)[number];
  priorComponents?: number;
  epochs?: number;
  batchSize: number;
  lr: number;
  lrSchedule?: LrScheduleName;
  /** Steps of linear learning-rate warm-up (absent: the preset's default). */
  lrWarmup?: number;
  beta: number;
  warmup: number;
  /** Importance samples per training example (absent or 1: the ELBO). */
  trainK?: number;
  /** Free bits: the least KL each latent dimension is charged, in nats. */
  freeBits?: number;
  seed: number;
  out?: string;
  resume: boolean;
  /** Wall-clock budget of this invocation's training, in hours. */
  hours?: number;
  /** Stop cleanly once the run has trained this many steps in all (earlier invocations counted). */
  stopAtStep?: number;
  validation?: number;
  iwaeK?: number;
  validateEvery?: number;
  limit?: number;
  testLimit?: number;
  /** Options given on the command line (not defaults or environment). */
  given?: readonly string[];
}

/** `vae train`: options and help; the work is loaded only when it runs. */
export function trainCommand(io: CliIo): Command {
  const command = new Command('train')
    .description(
      'train a VAE on MNIST, the emoji or your own images (a folder or a .npy file) and write a run folder',
    )
    .addOption(
      new Option(
        '--preset <name>',
        'architecture: mlp, conv, hierarchical (two stochastic layers), resnet (residual conv) or autoregressive (mlp encoder, MADE decoder; binary data) (default: mlp for MNIST and flat data, conv for other images)',
      ).choices([...PRESETS]),
    )
    .addOption(
      new Option(
        '--likelihood <name>',
        'p(x | z) (default: bernoulli for MNIST, logistic-mixture for 8-bit images, gaussian for float data)',
      ).choices([...LIKELIHOODS]),
    )
    .option(
      '--components <k>',
      'mixture components of the logistic-mixture likelihood (default 5)',
      boundedInteger(64),
    )
    .option(
      '--no-coupling',
      'independent colour channels in the logistic mixture of RGB images (default: coupled as in PixelCNN++)',
    )
    .option(
      '--latent <n>',
      'latent dimensions (default 20 for mlp, 32 for conv and resnet; hierarchical: of z1, default 100, z2 has half)',
      boundedInteger(4096),
    )
    .option(
      '--hidden <widths>',
      'hidden layer widths of the mlp preset, e.g. 512,256 (default 400; autoregressive: the encoder, the MADE decoder mirrors it); hierarchical: x <-> z1, z1 <-> z2 half as wide (default 200,200)',
      widthList,
    )
    .option(
      '--conv-channels <widths>',
      'channels of the conv preset (default 32,64) or of the resnet stages (default 16,32)',
      widthList,
    )
    .addOption(
      new Option(
        '--posterior <name>',
        'q(z | x): the diagonal Gaussian, or an inverse autoregressive flow on it (mlp and conv)',
      )
        .choices([...POSTERIORS])
        .default('gaussian'),
    )
    .option('--flow-layers <n>', 'IAF layers of --posterior iaf (default 2)', boundedInteger(16))
    .addOption(
      new Option('--prior <name>', 'the prior p(z)')
        .choices([...PRIORS])
        .default('standard-normal'),
    )
    .option(
      '--prior-components <n>',
      'components of a mixture prior or VampPrior pseudo-inputs (default 50)',
      boundedInteger(1000),
    )
    .option(
      '--epochs <n>',
      `epochs (default ${DEFAULT_EPOCHS}, or as many as --hours allows; with --resume: the run's, or more to extend it)`,
      boundedInteger(BUDGET_EPOCHS),
    )
    .option(
      '--hours <h>',
      'wall-clock budget of this invocation: stop cleanly after this many hours of training (e.g. 2 or 0.25), with a checkpoint, the pictures and the model; with --epochs, whichever comes first',
      hoursNumber,
    )
    .option(
      '--stop-at-step <n>',
      'stop cleanly once the run has trained n steps in all (earlier invocations counted), with a checkpoint, the pictures and the model, as --hours does; the step a --hours run printed reproduces its weights without the clock',
      boundedInteger(MAX_STOP_STEP),
    )
    .option(
      '--validation <n>',
      'hold out the last n training images as a validation split; its importance-weighted bound is logged in metrics.jsonl and picks best.ckpt (default 0: none)',
      boundedInteger(100_000_000),
    )
    .option(
      '--iwae-k <k>',
      `importance samples per validation image (default ${DEFAULT_IWAE_K})`,
      boundedInteger(100_000),
    )
    .option(
      '--validate-every <epochs>',
      'evaluate the validation bound after every this many epochs (default 1)',
      boundedInteger(BUDGET_EPOCHS),
    )
    .option('--batch-size <n>', 'examples per batch', boundedInteger(65_536), 128)
    .option('--lr <rate>', 'Adam learning rate (the peak, with a schedule)', positiveNumber, 4e-3)
    .addOption(
      new Option(
        '--lr-schedule <name>',
        'cosine: decay from --lr to 0 over --epochs; constant: --lr throughout (default: cosine; constant with --hours and no --epochs)',
      ).choices(LR_SCHEDULES),
    )
    .option(
      '--lr-warmup <steps>',
      `linear learning-rate warm-up from 0 to --lr over this many steps, then the schedule (default: ${DEFAULT_CONV_LR_WARMUP} for conv, at most half the run; 0 for the others)`,
      boundedNonNegativeInteger(100_000_000),
    )
    .option('--beta <beta>', 'weight of the KL term (beta-VAE)', nonNegativeNumber, 1)
    .option(
      '--warmup <epochs>',
      'linear KL warm-up from 0 to beta over this many epochs',
      nonNegativeNumber,
      0,
    )
    .option(
      '--train-k <k>',
      `importance samples per training example: 1 trains the ELBO, k > 1 the importance-weighted bound IWAE_k (default 1)`,
      boundedInteger(MAX_TRAIN_K),
    )
    .option(
      '--free-bits <nats>',
      'free bits: charge each latent dimension a KL of at least this many nats (Gaussian posterior, standard-normal or diagonal prior)',
      positiveNumber,
    )
    .option('--seed <n>', 'seed of initialization, shuffling and binarization', seedNumber, 0)
    .option('--out <dir>', 'run folder (default runs/<date-time>)')
    .option('--resume', 'continue the run in --out from its last checkpoint', false)
    .addOption(
      new Option('--limit <n>', 'train on the first n training examples')
        .argParser(boundedInteger(100_000_000))
        .env('VAE_MNIST_LIMIT'),
    )
    .addOption(
      new Option(
        '--test-limit <n>',
        'score the first n test examples after each epoch (default all)',
      )
        .argParser(boundedInteger(100_000_000))
        .env('VAE_MNIST_TEST_LIMIT'),
    )
    .action(async (options: TrainOptions, self: Command) => {
      const given = self.options
        .map((option) => option.attributeName())
        .filter((name) => self.getOptionValueSource(name) === 'cli');
      const { train } = await import('../train/train.js');
      await train({ ...options, given }, io);
    });
  addDataOptions(command);
  addBackend(command);
  addVerbosity(command);
  return routeOutput(command, io);
}
