import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CheckReport, checkDocs } from '../src/check.js';
import { REPO_ROOT } from '../src/workspace.js';

// A package whose examples are deliberately broken, checked the way `pnpm test`
// checks the real ones: each kind of breakage must fail, at its file and line.
const fixtureRoot = fileURLToPath(new URL('fixtures/repo/', import.meta.url));
const readme = 'packages/demo/README.md';
const source = 'packages/demo/src/index.ts';

/** The line of `file` (under the fixture root) that contains `text`. */
function lineOf(file: string, text: string): number {
  const lines = readFileSync(join(fixtureRoot, file), 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${file} has no line with ${text}`);
  return index + 1;
}

describe('checkDocs on a fixture with broken examples', () => {
  let report: CheckReport;
  beforeAll(async () => {
    report = await checkDocs({
      root: fixtureRoot,
      packages: [
        {
          dir: 'demo',
          name: '@fixture/demo',
          entries: [join(fixtureRoot, 'packages/demo/src/index.js')],
        },
      ],
      mode: { kind: 'source' },
      baseConfig: join(REPO_ROOT, 'tsconfig.base.json'),
      outDir: join(REPO_ROOT, 'tooling/doc-examples/.generated/test-fixture'),
      timeoutSeconds: 15,
      jobs: 2,
    });
  });

  const at = (file: string, line: number) =>
    report.problems.filter((p) => p.file.endsWith(file) && p.line === line);

  it('counts what it found, ran and only type-checked', () => {
    expect(report.examples).toBe(10);
    expect(report.notRun).toEqual({ browser: 1, noRun: 1 });
  });

  it('reports a type error at its line and does not run that example', () => {
    const line = lineOf(readme, 'const x: string = tf.scalar(1);');
    expect(at(readme, line)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^type error TS2322: Type 'Scalar'/),
      }),
    ]);
  });

  it('reports an example that throws at the throwing line, with the error', () => {
    const line = lineOf(readme, "throw new Error('this example is broken');");
    expect(at(readme, line)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/exited with code 1[\s\S]*this example is broken/),
      }),
    ]);
    const inSource = lineOf(source, 'console.log(values[0]!.toFixed(2));');
    expect(at(source, inSource)).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/TypeError/) }),
    ]);
  });

  it('kills an example that never exits and says so', () => {
    const line = lineOf(readme, 'setInterval(() => {}, 1000);');
    expect(at(readme, line)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/did not exit within 15 s \(killed\)/),
      }),
    ]);
  });

  it('compares a `// -> VALUE` comment with what the statement printed', () => {
    const line = lineOf(readme, 'console.log(Math.PI.toFixed(2)); // -> 3.16');
    expect(at(readme, line)).toEqual([
      expect.objectContaining({
        message: 'printed value: the comment says `3.16`, the example printed `3.14`',
      }),
    ]);
    // Those that hold (a number, a tensor, text and a number, a class's name) report nothing.
    for (const text of ['// -> 0.6931', '// -> [1.5, 2]', '// -> done 3', '// -> Counter']) {
      expect(at(readme, lineOf(readme, text))).toEqual([]);
    }
  });

  it('type-checks a no-run block without running it', () => {
    const line = lineOf(readme, "const n: number = 'not a number';");
    expect(at(readme, line)).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/TS2322/) }),
    ]);
    expect(report.problems.some((p) => p.message.includes('never runs'))).toBe(false);
  });

  it('reports an @example without a fenced block', () => {
    const line = lineOf(source, 'This example has no fenced block.') - 1;
    expect(at(source, line)).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/no fenced/) }),
    ]);
  });

  it('finds undocumented parameters, a const typed as another function and a protected constructor in signature help', () => {
    const messages = report.problems
      .map((p) => p.message)
      .filter((m) => m.includes('signature help'));
    expect(messages.sort()).toEqual([
      // An abstract class with a protected constructor is probed at `super(` in a subclass.
      expect.stringMatching(
        /new Shape\(\.\.\.\): signature help shows no documentation for parameter `sides`/,
      ),
      expect.stringMatching(/new Shape\(\.\.\.\): signature help shows no summary/),
      expect.stringMatching(
        /scale\(\.\.\.\): signature help shows no documentation for parameter `factor`/,
      ),
      expect.stringMatching(
        /scale\(\.\.\.\): signature help shows no documentation for parameter `x`/,
      ),
      expect.stringMatching(/scale\(\.\.\.\): signature help shows no summary/),
      expect.stringMatching(
        /undocumentedParameter\(\.\.\.\): signature help shows no documentation for parameter `value`/,
      ),
      expect.stringMatching(/undocumentedParameter\(\.\.\.\): signature help shows no summary/),
    ]);
    expect(report.signatureHelpChecked).toBe(4);
  });

  it('reports nothing else: the good examples pass', () => {
    // Two throws, a type error, a hang, a no-run type error, a bare @example, a
    // wrong printed value; seven signature help.
    const where = report.problems.map((p) => `${p.file.split('/').pop()}:${p.line} ${p.message}`);
    expect(where).toHaveLength(7 + 7);
  });
});
