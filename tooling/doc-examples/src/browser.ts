import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeExample } from './extract.js';

/**
 * Writes each `browser` example as a module plus a one-test vitest file that
 * imports it, for vitest's browser mode (`vitest.browser.config.ts`) to run in
 * Chromium: one test file per example, so each runs in a fresh page context.
 * The test is named `file:line`, so a failure says where the example is.
 * Removes what `outDir` held before; returns how many it wrote.
 */
export function writeBrowserTests(outDir: string, examples: readonly CodeExample[]): number {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const browser = examples.filter((example) => example.info.browser && !example.info.noRun);
  for (const example of browser) {
    const id = example.file.replace(/^packages\//, '').replace(/[^\w.-]+/g, '-');
    const stem = `${id}-${example.line}`;
    writeFileSync(join(outDir, `${stem}.ts`), `${example.code}\n`);
    writeFileSync(
      join(outDir, `${stem}.test.ts`),
      [
        "import { it } from 'vitest';",
        '',
        `it(${JSON.stringify(`${example.file}:${example.line}`)}, async () => {`,
        `  await import('./${stem}.js');`,
        '});',
        '',
      ].join('\n'),
    );
  }
  return browser.length;
}
