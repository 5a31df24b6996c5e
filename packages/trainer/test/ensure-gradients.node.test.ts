import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ensureGradients, gradientsRegistered } from '../src/index.js';

const packageJson = fileURLToPath(new URL('../package.json', import.meta.url));

// The driver runs in a PLAIN Node child process (no vitest, no bundler), where
// importing tfjs-core's register_all_gradients directly fails.
const DRIVER = `
import { createRequire } from 'node:module';
import { registerGradientsInNode } from './node-gradients.mjs';
const from = process.argv[2];
const require = createRequire(from);
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
tf.env().set('IS_TEST', true);
await tf.setBackend('cpu');
const f = (x) => tf.sum(tf.matMul(tf.reshape(tf.square(x), [1, 2]), tf.ones([2, 2])));
let before = 'trained';
try { tf.grad(f)(tf.tensor([1, 2])); } catch (error) { before = error.message; }
let direct = 'loaded';
try { await import(require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js')); } catch (error) { direct = error.code ?? error.message; }
await registerGradientsInNode(from);
const gradient = Array.from(tf.grad(f)(tf.tensor([1, 2])).dataSync());
const w = tf.variable(tf.tensor([3]));
tf.train.adam(0.1).minimize(() => tf.sum(tf.square(w)));
console.log(JSON.stringify({ before, direct, gradient, w: Array.from(w.dataSync()) }));
`;

describe('ensureGradients', () => {
  it('is a no-op once the gradients are registered (the test setup registers them)', async () => {
    expect(gradientsRegistered()).toBe(true);
    await ensureGradients();
    await ensureGradients();
    expect(gradientsRegistered()).toBe(true);
  });

  it('registers every gradient in plain Node, where the direct import fails', async () => {
    const source = await readFile(
      new URL('../src/internal/node-gradients.ts', import.meta.url),
      'utf8',
    );
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const directory = await mkdtemp(join(tmpdir(), 'vae-gradients-'));
    try {
      await writeFile(join(directory, 'node-gradients.mjs'), outputText);
      await writeFile(join(directory, 'driver.mjs'), DRIVER);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [join(directory, 'driver.mjs'), pathToFileURL(packageJson).href],
        { cwd: directory, timeout: 60_000 },
      );
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
      expect(result.before).toMatch(/gradient function not found/i);
      expect(result.direct).toBe('ERR_MODULE_NOT_FOUND');
      // d/dx sum([x1^2, x2^2] @ ones(2, 2)) = 2 * 2x
      expect(result.gradient).toEqual([4, 8]);
      expect(result.w[0]).toBeCloseTo(2.9, 5);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe('ensureGradients under tsx', () => {
  it('registers every gradient in a fresh tsx process', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/ensure-gradients-tsx.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--conditions=@vae/source', fixture],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), timeout: 60_000 },
    );
    const line = stdout.split('\n').find((l) => l.startsWith('{'));
    expect(JSON.parse(line ?? 'null')).toEqual({ before: false, after: true, gradient: [2, 4] });
  }, 90_000);
});
