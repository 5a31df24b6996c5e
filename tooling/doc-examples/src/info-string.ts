/**
 * What a code fence's info string says about its block. The grammar:
 *
 * ```text
 * ts | typescript | js | javascript   the language (any other block is not an example)
 *   [browser]                         runs in a browser page, not in Node
 *   [no-run: <why>]                   type-checked only; the reason is required
 * ```
 *
 * e.g. ```` ```ts browser ```` or ```` ```ts no-run: needs a GPU ````.
 */
export interface FenceInfo {
  /** `'ts'` or `'js'`. */
  language: 'ts' | 'js';
  /** The block runs in a browser page (type-checked here, never run in Node). */
  browser: boolean;
  /** Why the block is not run, or `undefined` when it is. */
  noRun: string | undefined;
}

const LANGUAGES: Record<string, FenceInfo['language']> = {
  ts: 'ts',
  typescript: 'ts',
  js: 'js',
  javascript: 'js',
};

/**
 * Parses an info string. Returns `undefined` for a block that is not
 * TypeScript or JavaScript (`sh`, `text`, ...), and a string describing the
 * problem for a malformed one.
 */
export function parseFenceInfo(info: string): FenceInfo | string | undefined {
  const trimmed = info.trim();
  const [first = ''] = trimmed.split(/\s+/);
  const language = LANGUAGES[first.toLowerCase()];
  if (language === undefined) return undefined;
  let remainder = trimmed.slice(first.length).trim();
  let browser = false;
  let noRun: string | undefined;
  while (remainder !== '') {
    if (/^browser(\s|$)/.test(remainder)) {
      browser = true;
      remainder = remainder.slice('browser'.length).trim();
    } else if (remainder.startsWith('no-run:')) {
      noRun = remainder.slice('no-run:'.length).trim();
      if (noRun === '') return '`no-run:` needs a reason, e.g. ```ts no-run: needs a GPU';
      remainder = '';
    } else {
      const word = remainder.split(/\s+/)[0];
      return `unknown flag \`${word}\` in \`${trimmed}\` (known: \`browser\`, \`no-run: <why>\`)`;
    }
  }
  return { language, browser, noRun };
}
