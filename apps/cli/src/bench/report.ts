import type { BackendInfo, BackendName } from '@vae/backends';

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
  /** What the models trained on. */
  data?: string;
  backends: (BackendInfo | { name: BackendName; skipped: string })[];
  rows: BenchRow[];
}

function format(value: number | null, digits = 0): string {
  return value === null || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

/** The report as an aligned text table. */
export function formatTable(report: BenchReport): string {
  const header = [
    'backend',
    'measurement',
    '@vae samples/s',
    'tfjs-layers samples/s',
    'ratio',
    'detail',
  ];
  const lines = report.rows.map((row) => [
    row.backend,
    row.measurement,
    format(row.vae),
    format(row.layers),
    row.ratio === null ? '-' : `${format(row.ratio, 2)}x`,
    row.detail,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ');
  const skipped = report.backends
    .filter((b): b is { name: BackendName; skipped: string } => 'skipped' in b)
    .map((b) => `skipped ${b.name}: ${b.skipped}`);
  const started = report.backends
    .filter((b): b is BackendInfo => !('skipped' in b))
    .map(
      (b) => `${b.name}: ${b.threads} thread${b.threads === 1 ? '' : 's'}${b.simd ? ', simd' : ''}`,
    );
  return [
    `backends (both models share each): ${started.join('; ') || 'none'}`,
    ...(report.data === undefined ? [] : [`data: ${report.data}`]),
    render(header),
    render(widths.map((w) => '-'.repeat(w))),
    ...lines.map(render),
    ...skipped,
  ].join('\n');
}
