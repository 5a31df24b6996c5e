import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ensureGradients, gradientsRegistered } from '../src/index.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
/** What ensureGradients is made of: these sources, transpiled as they are, run in plain Node. */
const SOURCES = ['ensure-gradients.ts', 'vae-error.ts', 'internal/tfjs-internals.ts'];

// The driver runs in a PLAIN Node child process (no vitest, no bundler, no tsx), where
// importing tfjs-core's register_all_gradients directly fails: the one documented call,
// `await ensureGradients()`, must be all a user of @vae/divergence needs.
const DRIVER = `
import { createRequire } from 'node:module';
import { ensureGradients, gradientsRegistered } from './ensure-gradients.js';
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
tf.env().set('IS_TEST', true);
await tf.setBackend('cpu');
const f = (x) => tf.sum(tf.matMul(tf.reshape(tf.square(x), [1, 2]), tf.ones([2, 2])));
let before = 'trained';
try { tf.grad(f)(tf.tensor([1, 2])); } catch (error) { before = error.message; }
let direct = 'loaded';
try { await import(require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js')); } catch (error) { direct = error.code ?? error.message; }
const registeredBefore = gradientsRegistered();
await ensureGradients();
const gradient = Array.from(tf.grad(f)(tf.tensor([1, 2])).dataSync());
const w = tf.variable(tf.tensor([3]));
tf.train.adam(0.1).minimize(() => tf.sum(tf.square(w)));
console.log(JSON.stringify({ before, direct, registeredBefore, after: gradientsRegistered(), gradient, w: Array.from(w.dataSync()) }));
`;

async function transpileInto(directory: string): Promise<void> {
  await writeFile(join(directory, 'package.json'), '{ "type": "module" }\n');
  for (const file of SOURCES) {
    const source = await readFile(join(packageRoot, 'src', file), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const target = join(directory, file.replace(/\.ts$/, '.js'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
}

describe('ensureGradients', () => {
  it('is a no-op once the gradients are registered (the test setup registers them)', async () => {
    expect(gradientsRegistered()).toBe(true);
    await ensureGradients();
    await ensureGradients();
    expect(gradientsRegistered()).toBe(true);
  });

  it('registers every gradient in plain Node, where the direct import fails', async () => {
    // Inside the package's node_modules, so the imports of tfjs-core resolve as for a user.
    const directory = await mkdtemp(join(packageRoot, 'node_modules', '.vae-gradients-'));
    try {
      await transpileInto(directory);
      await writeFile(join(directory, 'driver.js'), DRIVER);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [join(directory, 'driver.js')],
        { cwd: directory, timeout: 60_000 },
      );
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
      expect(result.before).toMatch(/gradient function not found/i);
      expect(result.direct).toBe('ERR_MODULE_NOT_FOUND');
      expect(result.registeredBefore).toBe(false);
      expect(result.after).toBe(true);
      // d/dx sum([x1^2, x2^2] @ ones(2, 2)) = 2 * 2x
      expect(result.gradient).toEqual([4, 8]);
      expect(result.w[0]).toBeCloseTo(2.9, 5);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('ensureGradients under tsx', () => {
  it('registers every gradient in a fresh tsx process', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/ensure-gradients-tsx.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--conditions=@vae/source', fixture],
      { cwd: packageRoot, timeout: 60_000 },
    );
    const line = stdout.split('\n').find((l) => l.startsWith('{'));
    expect(JSON.parse(line ?? 'null')).toEqual({ before: false, after: true, gradient: [2, 4] });
  }, 90_000);
});
