import type { CodeExample, Problem } from './extract.js';

/**
 * Printed values: a statement that prints, followed on its line by a comment
 * `// -> VALUE`, states what it prints, and the check compares:
 *
 * ```ts
 * console.log(Math.log(2).toFixed(3)); // -> 0.693
 * kl(p, q).print(); // -> 0.2442
 * tf.tensor([1, 2]).print(); // -> [1, 2]
 * ```
 *
 * What the statement printed is the last line printed by then, or, when that
 * line ends a printed tensor (tfjs's `Tensor` header, then indented lines),
 * the tensor's lines joined into one (without tfjs's column padding and the
 * `,]` that ends a one-row matrix: `[[1, -1], [2, 0]]`). Numbers match
 * within one unit of the last digit written (`0.693` accepts 0.692 to 0.694;
 * an integer must be exact to 1e-6 relative); everything else must match
 * exactly, up to whitespace. A comment without the arrow (`// nats`) is not
 * checked.
 */
export interface PrintedValue {
  /** 0-based line of the statement within the example. */
  index: number;
  expected: string;
}

/** The marker printed after each checked statement: `@@doc-example-printed:<index>@@`. */
const MARKER = /^@@doc-example-printed:(\d+)@@$/;
const markerCall = (index: number) => `console.log('@@doc-example-printed:${index}@@');`;

/** `STATEMENT; // -> VALUE` (the statement ends at the last `;` before the comment). */
const ARROW_COMMENT = /^(.*;)(\s*)\/\/\s*->\s*(.*?)\s*$/;

export interface Instrumented {
  /** The code with a marker call after each checked statement, on the same line. */
  code: string;
  values: PrintedValue[];
  problems: Problem[];
}

/**
 * Finds the `// -> VALUE` comments of an example and appends a marker call to
 * each statement, on its own line (so line numbers stay those of the example).
 */
export function instrumentPrintedValues(example: CodeExample): Instrumented {
  const values: PrintedValue[] = [];
  const problems: Problem[] = [];
  const lines = example.code.split('\n').map((line, index) => {
    if (!/\/\/\s*->/.test(line)) return line;
    const match = ARROW_COMMENT.exec(line);
    if (match === null || match[3] === '') {
      problems.push({
        file: example.file,
        line: example.line + index,
        message:
          'a `// -> VALUE` comment must follow a statement that ends in `;` on the same line, and state a value',
      });
      return line;
    }
    values.push({ index, expected: match[3]! });
    return `${match[1]} ${markerCall(index)}${match[2]}// -> ${match[3]}`;
  });
  return { code: lines.join('\n'), values, problems };
}

/** Output without the markers (what a user sees). */
export function withoutMarkers(output: string): string {
  return output
    .split('\n')
    .filter((line) => !MARKER.test(line.trim()))
    .join('\n');
}

/**
 * What a statement printed, from the output lines printed since the previous
 * marker: the last line, or a tensor printed last (tfjs's `Tensor` header and
 * its indented lines) joined into one line.
 */
function printedBy(lines: readonly string[]): string | undefined {
  let start = lines.length;
  while (start > 0 && /^\s/.test(lines[start - 1]!)) start -= 1;
  if (start > 0 && start < lines.length && lines[start - 1]!.trim() === 'Tensor') {
    return tensorOnOneLine(lines.slice(start));
  }
  return lines.at(-1);
}

/**
 * A printed tensor's lines as one line, written as one would write it: tfjs
 * pads a matrix's columns (`[2, 0 ]`) and ends a one-row matrix with `,]`
 * (`[[0.25, 0.5],]`), so spaces before `,` and `]` and a `,` before `]` go.
 */
function tensorOnOneLine(lines: readonly string[]): string {
  return lines
    .map((line) => line.trim())
    .join(' ')
    .replace(/\s+(?=[,\]])/g, '')
    .replaceAll(',]', ']');
}

const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi;

/** Whether `actual` shows `expected`: text equal up to whitespace, numbers within the digits written. */
export function matchesPrinted(expected: string, actual: string): boolean {
  const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
  const expectedText = squash(expected.replace(NUMBER, '#'));
  const actualText = squash(actual.replace(NUMBER, '#'));
  if (expectedText !== actualText) return false;
  const expectedNumbers = expected.match(NUMBER) ?? [];
  const actualNumbers = actual.match(NUMBER) ?? [];
  if (expectedNumbers.length !== actualNumbers.length) return false;
  return expectedNumbers.every((written, i) => {
    const want = Number(written);
    const got = Number(actualNumbers[i]);
    const mantissa = written.toLowerCase().split('e')[0]!;
    const decimals = mantissa.includes('.') ? mantissa.split('.')[1]!.length : 0;
    const exponent = written.toLowerCase().includes('e')
      ? Number(written.toLowerCase().split('e')[1])
      : 0;
    const tolerance =
      decimals > 0 || exponent !== 0
        ? 10 ** (exponent - decimals) * (1 + 1e-9)
        : 1e-6 * Math.max(1, Math.abs(want));
    return Math.abs(got - want) <= tolerance;
  });
}

/**
 * Compares what an example printed (its output, markers included) with its
 * `// -> VALUE` comments; a problem for each that differs or never printed.
 */
export function checkPrintedValues(
  example: CodeExample,
  values: readonly PrintedValue[],
  output: string,
): Problem[] {
  if (values.length === 0) return [];
  const problems: Problem[] = [];
  const byIndex = new Map<number, string | undefined>();
  let since: string[] = [];
  for (const line of output.split('\n')) {
    const marker = MARKER.exec(line.trim());
    if (marker === null) {
      if (line.trim() !== '') since.push(line);
      continue;
    }
    const index = Number(marker[1]);
    // A statement in a loop prints more than once; the first time is checked.
    if (!byIndex.has(index)) byIndex.set(index, printedBy(since));
    since = [];
  }
  for (const { index, expected } of values) {
    const line = example.line + index;
    if (!byIndex.has(index)) {
      problems.push({
        file: example.file,
        line,
        message: `printed value: the statement never ran, so \`// -> ${expected}\` was not checked`,
      });
      continue;
    }
    const actual = byIndex.get(index);
    if (actual === undefined || !matchesPrinted(expected, actual.trim())) {
      problems.push({
        file: example.file,
        line,
        message: `printed value: the comment says \`${expected}\`, the example printed \`${actual?.trim() ?? '(nothing)'}\``,
      });
    }
  }
  return problems;
}
