import { describe, expect, it } from 'vitest';
import { extractFromMarkdown, extractFromSource } from '../src/extract.js';
import { parseFenceInfo } from '../src/info-string.js';

describe('parseFenceInfo', () => {
  it('reads the language and the flags', () => {
    expect(parseFenceInfo('ts')).toEqual({ language: 'ts', browser: false, noRun: undefined });
    expect(parseFenceInfo('typescript browser')).toEqual({
      language: 'ts',
      browser: true,
      noRun: undefined,
    });
    expect(parseFenceInfo('js no-run: needs a GPU (WebGPU)')).toEqual({
      language: 'js',
      browser: false,
      noRun: 'needs a GPU (WebGPU)',
    });
  });

  it('ignores other languages and rejects unknown flags or a missing reason', () => {
    expect(parseFenceInfo('sh')).toBeUndefined();
    expect(parseFenceInfo('')).toBeUndefined();
    expect(parseFenceInfo('ts nodejs')).toMatch(/unknown flag `nodejs`/);
    expect(parseFenceInfo('ts no-run:')).toMatch(/needs a reason/);
  });
});

describe('extractFromMarkdown', () => {
  it('finds ts and js blocks with the line of their first code line', () => {
    const text = [
      '# Title', // 1
      '```sh', // 2
      'npm install x', // 3
      '```', // 4
      '```ts', // 5
      "import { x } from 'x';", // 6
      'x();', // 7
      '```', // 8
      '- item', // 9
      '  ```js browser', // 10
      '  document.title;', // 11
      '  ```', // 12
    ].join('\n');
    const { examples, problems } = extractFromMarkdown('README.md', text);
    expect(problems).toEqual([]);
    expect(examples.map(({ line, code, info }) => ({ line, code, browser: info.browser }))).toEqual(
      [
        { line: 6, code: "import { x } from 'x';\nx();", browser: false },
        { line: 11, code: 'document.title;', browser: true },
      ],
    );
  });

  it('keeps a longer fence open across a shorter one', () => {
    const text = ['````ts', 'const s = `', '```', '`;', '````'].join('\n');
    expect(extractFromMarkdown('a.md', text).examples[0]!.code).toBe('const s = `\n```\n`;');
  });

  it('reports a malformed info string where it is', () => {
    const { problems } = extractFromMarkdown('a.md', 'text\n```ts no-run:\nx\n```\n');
    expect(problems).toEqual([{ file: 'a.md', line: 2, message: expect.stringMatching(/reason/) }]);
  });
});

describe('extractFromSource', () => {
  const source = [
    "import * as tf from '@tensorflow/tfjs-core';", // 1
    '', // 2
    '/**', // 3
    ' * Does a thing.', // 4
    ' *', // 5
    ' * @param x - The input.', // 6
    ' * @example', // 7
    ' * ```ts', // 8
    " * import { thing } from 'pkg';", // 9
    ' *', // 10
    ' * if (thing(1)) {', // 11
    ' *   console.log(2);', // 12
    ' * }', // 13
    ' * ```', // 14
    ' * @returns Something.', // 15
    ' */', // 16
    'export function thing(x: number) {}', // 17
    '/** @example thing(1); */', // 18
    'export const other = 1;', // 19
  ].join('\n');

  it('strips the comment prefix and keeps indentation and blank lines', () => {
    const { examples } = extractFromSource('src/thing.ts', source);
    expect(examples).toHaveLength(1);
    expect(examples[0]!.line).toBe(9);
    expect(examples[0]!.code).toBe(
      "import { thing } from 'pkg';\n\nif (thing(1)) {\n  console.log(2);\n}",
    );
  });

  it('reports an @example without a fenced block', () => {
    const { problems } = extractFromSource('src/thing.ts', source);
    expect(problems).toEqual([
      { file: 'src/thing.ts', line: 18, message: expect.stringMatching(/no fenced/) },
    ]);
  });

  it('does not end an example at an @ inside its code', () => {
    const text = [
      '/**',
      ' * @example',
      ' * ```ts',
      ' * // @ts-expect-error',
      ' * x;',
      ' * ```',
      ' */',
    ];
    const { examples, problems } = extractFromSource('a.ts', text.join('\n'));
    expect(problems).toEqual([]);
    expect(examples[0]!.code).toBe('// @ts-expect-error\nx;');
  });
});
