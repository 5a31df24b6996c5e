import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { CodeExample, Problem } from './extract.js';
import { emittedPath, type GeneratedExample, writeExamples } from './generate.js';
import { runExamples } from './run.js';
import { checkSignatureHelp } from './signature-help.js';
import { typecheckExamples } from './typecheck.js';
import { type DocsPackage, packageExamples } from './workspace.js';

/**
 * Where `@vae/*` comes from:
 * - `'source'`: the workspace's TypeScript sources (the `@vae/source` export
 *   condition), run through tsx; needs no build, so it runs in `pnpm test`.
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
  /** Examples type-checked but not run, by reason. */
  notRun: { browser: number; noRun: number };
  signatureHelpChecked: number;
  problems: Problem[];
}

const TSX = fileURLToPath(import.meta.resolve('tsx'));

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** Extracts, type-checks and runs every example of `packages`, then checks signature help. */
export async function checkDocs(options: CheckOptions): Promise<CheckReport> {
  const log = options.log ?? (() => {});
  const problems: Problem[] = [];
  const examples: CodeExample[] = [];
  const counts: string[] = [];
  for (const pkg of options.packages) {
    const found = packageExamples(options.root, pkg.dir);
    examples.push(...found.examples);
    problems.push(...found.problems);
    counts.push(`${pkg.name} ${found.examples.length}`);
  }
  log(`examples: ${counts.join(', ')} (${options.mode.kind})`);
  const installed = options.mode.kind === 'installed';
  const generated = writeExamples(options.outDir, examples, {
    baseConfig: options.baseConfig,
    conditions: installed ? [] : ['@vae/source'],
    emit: installed,
  });
  let started = performance.now();
  const typed = typecheckExamples(options.outDir, generated);
  problems.push(...typed.problems);
  log(`type-checked ${generated.length} examples as one program in ${seconds(started)}`);

  // An example that does not type-check is reported once, for that, and not run.
  const runnable = generated.filter(
    (g) => !g.example.info.browser && !g.example.info.noRun && !typed.failed.has(g),
  );
  const notRun = {
    browser: generated.filter((g) => g.example.info.browser).length,
    noRun: generated.filter((g) => !g.example.info.browser && g.example.info.noRun).length,
  };
  // Emitted JavaScript exists only when every example type-checks.
  const canRun = !installed || typed.problems.length === 0;
  if (canRun) {
    started = performance.now();
    const jobs = options.jobs ?? Math.min(4, availableParallelism());
    problems.push(
      ...(await runExamples(runnable, {
        nodeArgs: installed
          ? ['--enable-source-maps']
          : ['--conditions=@vae/source', '--import', TSX],
        script: (g) => (installed ? emittedPath(options.outDir, g) : g.path),
        timeoutSeconds: options.timeoutSeconds ?? 60,
        jobs,
        ...(options.onOutput && {
          onOutput: (g: GeneratedExample, output: string) => options.onOutput!(g.example, output),
        }),
      })),
    );
    log(
      `ran ${runnable.length} in Node (${jobs} at a time) in ${seconds(started)}; type-checked only: ${notRun.browser} browser (test:browser runs them in Chromium), ${notRun.noRun} no-run`,
    );
  }

  let signatureHelpChecked = 0;
  if (options.signatureHelp ?? true) {
    started = performance.now();
    const report = checkSignatureHelp(
      options.packages.flatMap((p) => p.entries),
      {
        dir: options.outDir,
        baseConfig: options.baseConfig,
        conditions: installed ? [] : ['@vae/source'],
      },
    );
    signatureHelpChecked = report.checked;
    problems.push(...report.problems);
    log(`signature help of ${report.checked} functions and classes checked in ${seconds(started)}`);
  }
  return {
    examples: generated.length,
    ran: canRun ? runnable.length : 0,
    notRun,
    signatureHelpChecked,
    problems,
  };
}
