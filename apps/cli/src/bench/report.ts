import type { BackendInfo, BackendName } from '@vae/backends';
import { epochGrowth, type MemoryReport } from './memory.js';
import type { PytorchInfo } from './pytorch-model.js';

/** One measured quantity on one backend, for both implementations. */
export interface BenchRow {
  backend: BackendName;
  /**
   * `train`: one Adam step per batch (`trainStep` vs a tfjs-layers custom step);
   * `fit`: `fit` end to end over an epoch (batching, events, yields);
   * `sample`: decoding prior draws (forward only);
   * `logLikelihood`: the importance-sampled log p(x) estimator, in examples/s.
   */
  measurement: 'train' | 'fit' | 'sample' | 'logLikelihood';
  /** Samples (examples) per second with @vae/nn + @vae/elbo + @vae/trainer; null when not measured. */
  vae: number | null;
  /** The same with the tfjs-layers model; null when not measured. */
  layers: number | null;
  /** vae / layers, when both were measured. */
  ratio: number | null;
  /** The same model in PyTorch on the same threads (`--pytorch`); null when not measured. */
  pytorch: number | null;
  /** vae / pytorch, when both were measured. */
  vsPytorch: number | null;
  /** `fit` row only: fit's samples/s over the bare step's, measured in the same alternating rounds. */
  vsStep?: number;
  /** What a call processed: batch size, sample count, or examples and k. */
  detail: string;
}

/** What `runBench` returns (and writes as JSON with `json`). */
export interface BenchReport {
  date: string;
  node: string;
  cpu: string;
  steps: number;
  batchSize: number;
  /** The benchmarked model (`--model`), its layers and each implementation's parameter count. */
  model?: { name: string; description: string; parameters?: Record<string, number> };
  /** What the models trained on. */
  data?: string;
  backends: (BackendInfo | { name: BackendName; skipped: string })[];
  /** With `--pytorch`: torch's version, threads and BLAS, or why it did not run. */
  pytorch?: PytorchInfo | { skipped: string };
  rows: BenchRow[];
  /** With `--memory`: resident memory of `vae train` and `vae eval`, per backend. */
  memory?: MemoryReport[];
}

function format(value: number | null, digits = 0): string {
  return value === null || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

/** The report as an aligned text table. */
export function formatTable(report: BenchReport): string {
  const torch = report.pytorch !== undefined && !('skipped' in report.pytorch);
  const times = (ratio: number | null) => (ratio === null ? '-' : `${format(ratio, 2)}x`);
  const header = [
    'backend',
    'measurement',
    '@vae samples/s',
    'tfjs-layers samples/s',
    'ratio',
    ...(torch ? ['PyTorch samples/s', '@vae / PyTorch'] : []),
    'detail',
  ];
  const lines = report.rows.map((row) => [
    row.backend,
    row.measurement,
    format(row.vae),
    format(row.layers),
    times(row.ratio),
    ...(torch ? [format(row.pytorch), times(row.vsPytorch)] : []),
    row.detail,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const numeric = (i: number) => i >= 2 && i < header.length - 1;
  const render = (cells: string[]) =>
    cells.map((c, i) => (numeric(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const pytorchLine =
    report.pytorch === undefined
      ? []
      : 'skipped' in report.pytorch
        ? [`skipped PyTorch: ${report.pytorch.skipped}`]
        : [
            `PyTorch ${report.pytorch.torch}: ${report.pytorch.threads} threads, BLAS ${report.pytorch.blas} (its own batch of binary images at MNIST's density, the same model)`,
          ];
  const skipped = report.backends
    .filter((b): b is { name: BackendName; skipped: string } => 'skipped' in b)
    .map((b) => `skipped ${b.name}: ${b.skipped}`);
  const started = report.backends
    .filter((b): b is BackendInfo => !('skipped' in b))
    .map(
      (b) => `${b.name}: ${b.threads} thread${b.threads === 1 ? '' : 's'}${b.simd ? ', simd' : ''}`,
    );
  return [
    ...(report.model === undefined
      ? []
      : [
          `model: ${report.model.name} (${report.model.description})${parameterCounts(report.model.parameters)}`,
        ]),
    `backends (both models share each): ${started.join('; ') || 'none'}`,
    ...(report.data === undefined ? [] : [`data: ${report.data}`]),
    ...pytorchLine,
    render(header),
    render(widths.map((w) => '-'.repeat(w))),
    ...lines.map(render),
    ...(report.memory ?? []).flatMap(memoryLines),
    ...skipped,
  ].join('\n');
}

/** '; parameters: @vae 652,824, tfjs-layers 652,824' (nothing before any model was built). */
function parameterCounts(counts: Record<string, number> | undefined): string {
  const entries = Object.entries(counts ?? {});
  if (entries.length === 0) return '';
  return `; parameters: ${entries.map(([name, n]) => `${name} ${n.toLocaleString('en-US')}`).join(', ')}`;
}

const mebibytes = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const megabytes = (bytes: number) => `${mebibytes(bytes)} MB`;

/** Two lines per backend measured with `--memory`: train (with growth across epochs) and eval. */
function memoryLines(memory: MemoryReport): string[] {
  const growth = epochGrowth(memory.train.epochBytes);
  const epochs = memory.train.epochBytes.map(mebibytes).join(', ');
  const change =
    growth === undefined
      ? ''
      : `; ${growth >= 0 ? '+' : '-'}${megabytes(Math.abs(growth))} from epoch 2 to the last`;
  return [
    `memory, ${memory.backend}: ${memory.train.command}: peak ${megabytes(memory.train.peakBytes)}; after each epoch ${epochs} MB${change}`,
    `memory, ${memory.backend}: ${memory.eval.command}: peak ${megabytes(memory.eval.peakBytes)}`,
  ];
}
