import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CodeExample,
  extractFromMarkdown,
  extractFromSource,
  type Problem,
} from './extract.js';

/** The repository root (this file is `tooling/doc-examples/src/workspace.ts`). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The list of which packages' docs are checked: `tooling/doc-examples/docs-packages.json`. */
export const STATUS_FILE = fileURLToPath(new URL('../docs-packages.json', import.meta.url));

/** Where the `browser` examples are written as vitest browser tests. */
export const BROWSER_TESTS_DIR = fileURLToPath(new URL('../.generated/browser/', import.meta.url));

/** A package under `packages/`, as the docs checks see it. */
export interface DocsPackage {
  /** Folder name under `packages/`, e.g. `'divergence'`. */
  dir: string;
  /** npm name, e.g. `'@vae/divergence'`. */
  name: string;
  /** What users import: the package name and each subpath export, e.g. `'@vae/viz/node'`. */
  entries: string[];
}

export interface DocsStatus {
  /** Packages whose examples, signature help and API docs are checked. */
  checked: DocsPackage[];
  /** Packages not checked yet, with the reason. */
  pending: { pkg: DocsPackage; reason: string }[];
}

function readPackage(root: string, dir: string): DocsPackage {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  const exportsField = (manifest.exports ?? {}) as Record<string, unknown>;
  const entries = Object.keys(exportsField)
    .filter((key) => key.startsWith('.') && !key.endsWith('.json'))
    .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`));
  return { dir, name: manifest.name, entries };
}

/**
 * Reads `docs-packages.json` and checks that it names every package under
 * `packages/` exactly once, so a new package is never left out silently.
 */
export function readDocsStatus(root = REPO_ROOT, statusFile = STATUS_FILE): DocsStatus {
  const status = JSON.parse(readFileSync(statusFile, 'utf8')) as {
    checked: string[];
    pending: Record<string, string>;
  };
  const present = readdirSync(join(root, 'packages')).filter((dir) =>
    existsSync(join(root, 'packages', dir, 'package.json')),
  );
  const listed = [...status.checked, ...Object.keys(status.pending)];
  const missing = present.filter((dir) => !listed.includes(dir));
  const unknown = listed.filter((dir) => !present.includes(dir));
  const twice = status.checked.filter((dir) => dir in status.pending);
  if (missing.length + unknown.length + twice.length > 0) {
    throw new Error(
      `${relative(root, statusFile)}: every folder of packages/ must be listed once, in "checked" or "pending"` +
        (missing.length ? `; not listed: ${missing.join(', ')}` : '') +
        (unknown.length ? `; no such package: ${unknown.join(', ')}` : '') +
        (twice.length ? `; listed twice: ${twice.join(', ')}` : ''),
    );
  }
  return {
    checked: status.checked.map((dir) => readPackage(root, dir)),
    pending: Object.entries(status.pending).map(([dir, reason]) => ({
      pkg: readPackage(root, dir),
      reason,
    })),
  };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    // Private helpers are not public API: their names cannot be imported by an example.
    if (entry.isDirectory()) return entry.name === 'internal' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Every example of a package: each fenced `ts`/`js` block of its README.md and
 * of the doc comments in `src/` (except `src/internal/`). Paths in the result
 * are relative to `root`.
 */
export function packageExamples(
  root: string,
  dir: string,
): { examples: CodeExample[]; problems: Problem[] } {
  const base = join(root, 'packages', dir);
  const files = [join(base, 'README.md'), ...sourceFiles(join(base, 'src')).sort()];
  const examples: CodeExample[] = [];
  const problems: Problem[] = [];
  for (const path of files) {
    if (!existsSync(path)) continue;
    const file = relative(root, path);
    const text = readFileSync(path, 'utf8');
    const found = path.endsWith('.md')
      ? extractFromMarkdown(file, text)
      : extractFromSource(file, text);
    examples.push(...found.examples);
    problems.push(...found.problems);
  }
  return { examples, problems };
}
