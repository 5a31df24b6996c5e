import { availableParallelism } from 'node:os';
import { bundledPath, bundleExamples } from './bundle.js';
import type { CodeExample, Problem } from './extract.js';
import { emittedPath, type GeneratedExample, writeExamples } from './generate.js';
import { checkPrintedValues } from './printed-values.js';
import { runExamples } from './run.js';
import { checkSignatureHelp } from './signature-help.js';
import { typecheckExamples } from './typecheck.js';
import { type DocsPackage, packageExamples } from './workspace.js';

/** The preload that sends an example's console.error and console.warn to stdout (see the file). */
const ONE_STREAM = new URL('./one-stream.mjs', import.meta.url).href;

/**
 * Where `@vae/*` comes from:
 * - `'source'`: the workspace's TypeScript sources (the `@vae/source` export
 *   condition), bundled with esbuild and run with plain `node`; needs no
 *   build, so it runs in `pnpm test`.
 * - `'installed'`: the packages as installed from their packed tarballs in
 *   `projectDir` (published `.d.ts`, plain `node` on the JavaScript tsc emits),
 *   exactly as a user gets them; `scripts/check-packages.mjs` runs it.
 */
export type Mode = { kind: 'source' } | { kind: 'installed'; projectDir: string };

export interface CheckOptions {
  /** The folder holding `packages/` (the repository, or a test fixture). */
  root: string;
  packages: readonly DocsPackage[];
  mode: Mode;
  /** The strict compiler options examples are checked with. */
  baseConfig: string;
  /** Where examples are written (removed and rewritten on each check). */
  outDir: string;
  timeoutSeconds?: number;
  jobs?: number;
  /** Check signature help of every exported function (default true). */
  signatureHelp?: boolean;
  log?: (line: string) => void;
  /** Called with what each example printed. */
  onOutput?: (example: CodeExample, output: string) => void;
}

export interface CheckReport {
  examples: number;
  ran: number;
  /** Examples type-checked but not run in Node, by reason. */
  notRun: { browser: number; noRun: number };
  signatureHelpChecked: number;
  problems: Problem[];
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

function collect(options: CheckOptions) {
  const examples: CodeExample[] = [];
  const problems: Problem[] = [];
  const counts = options.packages.map((pkg) => {
    const found = packageExamples(options.root, pkg.dir);
    examples.push(...found.examples);
    problems.push(...found.problems);
    return `${pkg.name} ${found.examples.length}`;
  });
  options.log?.(`examples: ${counts.join(', ')} (${options.mode.kind})`);
  return { examples, problems };
}

async function run(options: CheckOptions, runnable: readonly GeneratedExample[]) {
  const installed = options.mode.kind === 'installed';
  const jobs = options.jobs ?? Math.min(4, availableParallelism());
  const problems: Problem[] = [];
  let started = performance.now();
  let toRun = runnable;
  if (!installed) {
    const bundled = await bundleExamples(options.outDir, runnable);
    problems.push(...bundled.problems);
    toRun = bundled.bundled;
    options.log?.(`bundled ${toRun.length} examples in ${seconds(started)}`);
    started = performance.now();
  }
  const onOutput = options.onOutput;
  problems.push(
    ...(await runExamples(toRun, {
      nodeArgs: ['--enable-source-maps', '--import', ONE_STREAM],
      script: (g) => (installed ? emittedPath(options.outDir, g) : bundledPath(options.outDir, g)),
      timeoutSeconds: options.timeoutSeconds ?? 60,
      jobs,
      ...(onOutput && { onOutput: (g: GeneratedExample, out: string) => onOutput(g.example, out) }),
      checkOutput: (g, out) => checkPrintedValues(g.example, g.printed, out),
    })),
  );
  options.log?.(`ran ${toRun.length} in Node, ${jobs} at a time, in ${seconds(started)}`);
  return problems;
}

function signatureHelp(options: CheckOptions) {
  const started = performance.now();
  const report = checkSignatureHelp(
    options.packages.flatMap((p) => p.entries),
    {
      dir: options.outDir,
      baseConfig: options.baseConfig,
      conditions: options.mode.kind === 'installed' ? [] : ['@vae/source'],
    },
  );
  options.log?.(`signature help of ${report.checked} functions and classes in ${seconds(started)}`);
  return report;
}

/**
 * Extracts every example of `packages`, type-checks them as one program, runs
 * each in Node (except `browser` and `no-run` blocks, and those with type
 * errors, which are reported once) and compares what each prints with its
 * `// -> VALUE` comments (`printed-values.ts`), then checks signature help.
 */
export async function checkDocs(options: CheckOptions): Promise<CheckReport> {
  const { examples, problems } = collect(options);
  const generated = writeExamples(options.outDir, examples, {
    baseConfig: options.baseConfig,
    conditions: options.mode.kind === 'installed' ? [] : ['@vae/source'],
    emit: options.mode.kind === 'installed',
  });
  const started = performance.now();
  problems.push(...generated.flatMap((g) => g.problems));
  const typed = typecheckExamples(options.outDir, generated);
  problems.push(...typed.problems);
  options.log?.(`type-checked ${generated.length} examples as one program in ${seconds(started)}`);

  const notRun = {
    browser: generated.filter((g) => g.example.info.browser).length,
    noRun: generated.filter((g) => !g.example.info.browser && g.example.info.noRun).length,
  };
  options.log?.(
    `type-checked only: ${notRun.browser} browser (check:browser runs them in Chromium), ${notRun.noRun} no-run`,
  );
  const runnable = generated.filter(
    (g) => !g.example.info.browser && !g.example.info.noRun && !typed.failed.has(g),
  );
  problems.push(...(await run(options, runnable)));

  const help = options.signatureHelp === false ? undefined : signatureHelp(options);
  problems.push(...(help?.problems ?? []));
  return {
    examples: generated.length,
    ran: runnable.length,
    notRun,
    signatureHelpChecked: help?.checked ?? 0,
    problems,
  };
}
