#!/usr/bin/env tsx
// Checks the documentation of the packages listed as "checked" in
// docs-packages.json: every TSDoc and README example type-checks and runs, and
// signature help documents every exported function. Usage:
//
//   pnpm --filter @vae/doc-examples check                       sources (what `pnpm test` runs)
//   pnpm --filter @vae/doc-examples check --packages nn,elbo    other packages (say, before enabling them)
//   pnpm --filter @vae/doc-examples check --installed DIR       packages installed from tarballs in DIR
//   tsx src/cli.ts --write-browser-tests                        write the `browser` examples as
//                                                               vitest browser tests (check:browser)
//
// Options: --jobs N (examples run at once), --timeout S (seconds per example),
// --show-output (print what each example printed, to compare with its comments).
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeBrowserTests } from './browser.js';
import { checkDocs, type Mode } from './check.js';
import { BROWSER_TESTS_DIR, packageExamples, REPO_ROOT, readDocsStatus } from './workspace.js';

const { values } = parseArgs({
  options: {
    packages: { type: 'string' },
    installed: { type: 'string' },
    jobs: { type: 'string' },
    timeout: { type: 'string' },
    'show-output': { type: 'boolean' },
    'write-browser-tests': { type: 'boolean' },
  },
});

const status = readDocsStatus();
const all = [...status.checked, ...status.pending.map((p) => p.pkg)];
const wanted = values.packages?.split(',').map((name) => name.trim());
const packages =
  wanted === undefined
    ? status.checked
    : wanted.map((dir) => {
        const found = all.find((p) => p.dir === dir || p.name === dir);
        if (found === undefined) throw new Error(`--packages: no package ${dir} under packages/`);
        return found;
      });

if (values['write-browser-tests']) {
  const examples = packages.flatMap((pkg) => packageExamples(REPO_ROOT, pkg.dir).examples);
  const count = writeBrowserTests(BROWSER_TESTS_DIR, examples);
  console.log(
    `doc-examples: wrote ${count} browser examples to ${relative(REPO_ROOT, BROWSER_TESTS_DIR)}`,
  );
  process.exit(0);
}

const mode: Mode =
  values.installed === undefined
    ? { kind: 'source' }
    : { kind: 'installed', projectDir: resolve(values.installed) };
const outDir =
  mode.kind === 'installed'
    ? join(mode.projectDir, 'doc-examples')
    : join(REPO_ROOT, 'tooling/doc-examples/.generated/examples');

const started = performance.now();
const report = await checkDocs({
  root: REPO_ROOT,
  packages,
  mode,
  baseConfig: join(REPO_ROOT, 'tsconfig.base.json'),
  outDir,
  ...(values.jobs !== undefined && { jobs: Number(values.jobs) }),
  ...(values.timeout !== undefined && { timeoutSeconds: Number(values.timeout) }),
  log: (line) => console.log(`doc-examples: ${line}`),
  ...(values['show-output'] && {
    onOutput: (example, output) => {
      console.log(`\n--- ${example.file}:${example.line}\n${example.code}\n--- output:\n${output}`);
    },
  }),
});
const elapsed = ((performance.now() - started) / 1000).toFixed(1);
if (wanted === undefined && status.pending.length > 0) {
  console.log(
    `doc-examples: pending (not checked yet): ${status.pending.map((p) => p.pkg.dir).join(', ')}`,
  );
}
if (report.problems.length > 0) {
  for (const problem of report.problems) {
    const file = problem.file.startsWith('/') ? relative(REPO_ROOT, problem.file) : problem.file;
    console.error(`\n${file}:${problem.line}: ${problem.message}`);
  }
  console.error(`\ndoc-examples: ${report.problems.length} problem(s) in ${elapsed} s`);
  process.exitCode = 1;
} else {
  console.log(
    `doc-examples: ok, ${report.examples} examples and ${report.signatureHelpChecked} signatures in ${elapsed} s`,
  );
}
