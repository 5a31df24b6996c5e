import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeExample, Problem } from './extract.js';
import { instrumentPrintedValues, type PrintedValue } from './printed-values.js';

/** An example written out as a module of its own. */
export interface GeneratedExample {
  example: CodeExample;
  /** Absolute path of the written `.ts` (or `.mjs` for a `js` block). */
  path: string;
  /** The `// -> VALUE` comments to compare with what it prints (none for a block not run in Node). */
  printed: PrintedValue[];
  /** `// -> VALUE` comments written where they cannot be checked. */
  problems: Problem[];
}

export interface WriteOptions {
  /** The repository's `tsconfig.base.json`: the strict options examples are checked with. */
  baseConfig: string;
  /**
   * Export conditions for resolving `@vae/*`: `['@vae/source']` to check against the
   * TypeScript sources, `[]` to check against the installed packages' published types.
   */
  conditions: readonly string[];
  /** Emit JavaScript beside each example (to run it with plain `node`). */
  emit: boolean;
}

/** Where emitted JavaScript goes, under `outDir`: `out/<package>/<example>.js`. */
export const EMIT_DIR = 'out';

/** The emitted JavaScript of an example written to `outDir`. */
export function emittedPath(outDir: string, generated: GeneratedExample): string {
  const relativePath = generated.path.slice(outDir.length + 1).replace(/\.ts$/, '.js');
  return join(outDir, EMIT_DIR, relativePath);
}

/** What a bundler (Vite) gives its users and Node does not: `?url` imports of assets. */
const BUNDLER_ENV = `// The environment of a browser example: a bundler that serves assets (Vite's \`?url\`).
declare module '*?url' {
  const url: string;
  export default url;
}
`;

/** A file name that says where the example comes from: `src-kl.ts-34.ts`. */
function fileName(example: CodeExample): string {
  const source = example.file.split(/[\\/]/).slice(2).join('-');
  return `${source}-${example.line}.${example.info.language === 'ts' ? 'ts' : 'mjs'}`;
}

/**
 * Writes each example as its own ES module under `outDir/<package>/`, as
 * written except for a marker printed after each statement with a `// -> VALUE`
 * comment, added on the statement's line (so line n of the module is line n of
 * the example; see `printed-values.ts`), with a `package.json` (`"type": "module"`) and a `tsconfig.json`
 * holding the repository's strict options: `npx tsc -p <outDir>` reproduces the
 * check. Removes what `outDir` held before.
 */
export function writeExamples(
  outDir: string,
  examples: readonly CodeExample[],
  options: WriteOptions,
): GeneratedExample[] {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'package.json'), '{ "private": true, "type": "module" }\n');
  writeFileSync(join(outDir, 'bundler-env.d.ts'), BUNDLER_ENV);
  const generated = examples.map((example) => {
    const dir = join(outDir, example.file.split(/[\\/]/)[1] ?? 'root');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, fileName(example));
    const runs = !example.info.browser && example.info.noRun === undefined;
    const instrumented = runs
      ? instrumentPrintedValues(example)
      : { code: example.code, values: [], problems: [] };
    writeFileSync(path, `${instrumented.code}\n`);
    return { example, path, printed: instrumented.values, problems: instrumented.problems };
  });
  const base = JSON.parse(readFileSync(options.baseConfig, 'utf8')).compilerOptions;
  const compilerOptions = {
    ...base,
    customConditions: options.conditions,
    types: ['node'],
    moduleDetection: 'force',
    allowJs: true,
    checkJs: true,
    declaration: false,
    declarationMap: false,
    sourceMap: options.emit,
    noEmit: !options.emit,
    ...(options.emit && { outDir: EMIT_DIR, rootDir: '.' }),
  };
  const tsconfig = {
    compilerOptions,
    files: ['bundler-env.d.ts', ...generated.map((g) => g.path.slice(outDir.length + 1))],
  };
  writeFileSync(join(outDir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  return generated;
}
