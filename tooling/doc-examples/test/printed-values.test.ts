import { describe, expect, it } from 'vitest';
import type { CodeExample } from '../src/extract.js';
import {
  checkPrintedValues,
  instrumentPrintedValues,
  matchesPrinted,
} from '../src/printed-values.js';

const example = (code: string): CodeExample => ({
  file: 'packages/demo/README.md',
  line: 10,
  code,
  info: { language: 'ts', browser: false, noRun: undefined },
});

describe('matchesPrinted', () => {
  it('accepts numbers within one unit of the last digit written', () => {
    expect(matchesPrinted('0.693', '0.6931471805599453')).toBe(true);
    expect(matchesPrinted('0.693', '0.6939')).toBe(true);
    expect(matchesPrinted('0.693', '0.6942')).toBe(false);
    expect(matchesPrinted('1.5e-3', '0.00151')).toBe(true);
    expect(matchesPrinted('1.5e-3', '0.0017')).toBe(false);
  });

  it('holds integers exact and text equal up to whitespace', () => {
    expect(matchesPrinted('3', '3')).toBe(true);
    expect(matchesPrinted('3', '4')).toBe(false);
    expect(matchesPrinted('[2, 4]', '[2,   4]')).toBe(true);
    expect(matchesPrinted('[2, 4]', '[2, 4, 6]')).toBe(false);
    expect(matchesPrinted('true', 'false')).toBe(false);
  });
});

describe('instrumentPrintedValues and checkPrintedValues', () => {
  it('keeps line numbers and marks each checked statement', () => {
    const { code, values, problems } = instrumentPrintedValues(
      example('const a = 1;\nconsole.log(a); // -> 1\nconsole.log(2); // a comment'),
    );
    expect(code.split('\n')).toHaveLength(3);
    expect(values).toEqual([{ index: 1, expected: '1' }]);
    expect(problems).toEqual([]);
  });

  it('reports an arrow comment that follows no statement', () => {
    const { problems } = instrumentPrintedValues(example('foo(\n  1) // -> 1'));
    expect(problems).toEqual([expect.objectContaining({ line: 11 })]);
  });

  it('compares the last line printed, or a printed tensor whole', () => {
    const values = [
      { index: 0, expected: '0.5' },
      { index: 1, expected: '[[1, 2], [3, 4]]' },
      { index: 2, expected: '7' },
    ];
    const output = [
      'noise',
      '0.5',
      '@@doc-example-printed:0@@',
      'Tensor',
      '    [[1, 2],',
      '     [3, 4]]',
      '@@doc-example-printed:1@@',
      'Tensor',
      '    1',
      '8',
      '@@doc-example-printed:2@@',
    ].join('\n');
    const problems = checkPrintedValues(example(''), values, output);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [12, 'printed value: the comment says `7`, the example printed `8`'],
    ]);
  });

  it("joins a printed matrix without tfjs's column padding and one-row `,]`", () => {
    const values = [
      { index: 0, expected: '[[1, -1], [2, 0]]' },
      { index: 1, expected: '[[0.25, 0.5]]' },
      { index: 2, expected: '[[1, 0], [0.8, 0.6]]' },
    ];
    const output = [
      'Tensor',
      '    [[1, -1],',
      '     [2, 0 ]]',
      '@@doc-example-printed:0@@',
      'Tensor',
      '     [[0.25, 0.5],]',
      '@@doc-example-printed:1@@',
      'Tensor',
      '    [[0.9977158, 0        ],',
      '     [0.7906759, 0.5952035]]',
      '@@doc-example-printed:2@@',
    ].join('\n');
    const problems = checkPrintedValues(example(''), values, output);
    expect(problems.map((p) => p.message)).toEqual([
      'printed value: the comment says `[[1, 0], [0.8, 0.6]]`, the example printed `[[0.9977158, 0], [0.7906759, 0.5952035]]`',
    ]);
  });

  it('reports a statement that never ran', () => {
    const problems = checkPrintedValues(example(''), [{ index: 3, expected: '1' }], '');
    expect(problems[0]?.message).toMatch(/never ran/);
  });
});
