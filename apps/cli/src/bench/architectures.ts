// The models `vae bench --model` measures, each built three ways (@vae, tfjs-layers,
// PyTorch's python/vae_bench.py) with the same layers, so the rows compare implementations.

/** A model `vae bench` can measure. */
export type BenchModelName = 'mlp' | 'conv' | 'conv-colour';

/** The names `--model` takes, in the order the usage lists them. */
export const BENCH_MODEL_NAMES: readonly BenchModelName[] = ['mlp', 'conv', 'conv-colour'];

/** What the three implementations of a benchmarked model share. */
export interface BenchArchitecture {
  name: BenchModelName;
  /** One image's shape: [784] for the MLP, [height, width, channels] for the conv models. */
  imageShape: number[];
  /** Whether the benchmark can train it on MNIST (28x28, one channel). */
  mnist: boolean;
  /** The layers, as the report names them. */
  description: string;
}

const CONV_LAYERS =
  'conv 4x4/2 32, conv 4x4/2 64, dense 256, latent 16; mirrored with transposed convs; relu, Bernoulli';

/** The benchmarked models by name. */
export const BENCH_ARCHITECTURES: Readonly<Record<BenchModelName, BenchArchitecture>> = {
  mlp: {
    name: 'mlp',
    imageShape: [784],
    mnist: true,
    description: 'MLP VAE 784-400-20, relu, Bernoulli',
  },
  conv: {
    name: 'conv',
    imageShape: [28, 28, 1],
    mnist: true,
    description: `convVAE's default at 28x28x1: ${CONV_LAYERS}`,
  },
  'conv-colour': {
    name: 'conv-colour',
    imageShape: [32, 32, 3],
    mnist: false,
    description: `convVAE's default at 32x32x3: ${CONV_LAYERS}`,
  },
};
