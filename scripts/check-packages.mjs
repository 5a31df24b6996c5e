// Packs every publishable package the way it will be published, checks each
// tarball with publint and arethetypeswrong, then installs tarballs into empty
// projects and imports them with plain Node, as a user would:
//   1. @vae/divergence alone must bring in no other @vae package;
//   2. every package together must import and run without a bundler;
//   3. every source map in a tarball points at files the tarball ships, and a
//      stack trace from a packed package maps to its TypeScript source;
//   4. the examples of the packages whose docs are checked type-check against
//      the published .d.ts and run with plain node, and signature help shows
//      their parameters (tooling/doc-examples, --installed).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pack, run as runShown } from './lib/pack.mjs';

const root = resolve(import.meta.dirname, '..');
const packDir = join(root, '.pack');
const run = (command, args, cwd = root) => runShown(command, args, cwd);

rmSync(packDir, { recursive: true, force: true });
mkdirSync(packDir);

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);

const tarballs = new Map();
for (const { dir, manifest } of packages) {
  const tarball = pack(dir, packDir);
  tarballs.set(manifest.name, tarball);
  console.log(`\n== ${manifest.name}: publint`);
  run('pnpm', ['exec', 'publint', '--strict', dir]);
  console.log(`== ${manifest.name}: arethetypeswrong`);
  run('pnpm', ['exec', 'attw', '--profile', 'esm-only', tarball]);
}

const TFJS = ['@tensorflow/tfjs-core@4.22.0', '@tensorflow/tfjs-backend-cpu@4.22.0'];

function emptyProject(name, smoke) {
  const dir = join(packDir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  writeFileSync(join(dir, 'smoke.mjs'), smoke);
  return dir;
}

console.log('\n== @vae/divergence installed alone');
const alone = emptyProject(
  'divergence-alone',
  `import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as divergence from '@vae/divergence';
import { readdirSync } from 'node:fs';
const vae = readdirSync('node_modules/@vae');
if (vae.join() !== 'divergence') throw new Error('expected only @vae/divergence, found ' + vae);
if (typeof divergence.VaeError !== 'function') throw new Error('VaeError is not exported');
if (typeof divergence.kl === 'function') {
  const value = divergence.kl(tf.tensor([0.5, 0.5]), tf.tensor([0.9, 0.1])).dataSync()[0];
  const expected = 0.5 * Math.log(0.5 / 0.9) + 0.5 * Math.log(0.5 / 0.1);
  if (Math.abs(value - expected) > 1e-5) throw new Error('kl gave ' + value);
}
// Gradients in plain Node with the one documented call.
await divergence.ensureGradients();
const gradient = tf.grad((x) => tf.sum(tf.square(x)))(tf.tensor([1, 2])).dataSync();
if (gradient.join() !== '2,4') throw new Error('gradient after ensureGradients: ' + gradient);
console.log('@vae/divergence alone: ok');
`,
);
run(
  'npm',
  ['install', '--no-audit', '--loglevel=error', tarballs.get('@vae/divergence'), ...TFJS],
  alone,
);
run('node', ['smoke.mjs'], alone);

console.log('\n== every package together, plain Node ESM');
const names = [...tarballs.keys()];
const together = emptyProject(
  'all-packages',
  `import '@tensorflow/tfjs-backend-cpu';
${names.map((name, i) => `import * as p${i} from '${name}';`).join('\n')}
for (const [name, module] of Object.entries({ ${names.map((name, i) => `'${name}': p${i}`).join(', ')} })) {
  if (Object.keys(module).length === 0) throw new Error(name + ' exports nothing');
}
console.log('every package imports: ok');

// Train a small VAE for one epoch from the packed dist, as a Node user would:
// this needs gradients registered without a bundler.
const tf = await import('@tensorflow/tfjs-core');
const { mlpVAE } = await import('@vae/nn');
const { negativeElboLoss } = await import('@vae/elbo');
const { fit, tensorData } = await import('@vae/trainer');
await tf.setBackend('cpu');
const model = mlpVAE({ inputShape: [16], hidden: [8], latentDim: 2, seed: 0 });
const x = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([64, 16], 0, 1, 'float32', 1), 0.5), 'float32'));
const before = tf.memory().numTensors;
const result = await fit(model, tensorData(x), {
  loss: (batch) => negativeElboLoss(model, batch),
  epochs: 2,
  batchSize: 16,
});
const losses = result.history.map((epoch) => epoch.loss);
if (!losses.every(Number.isFinite)) throw new Error('training gave ' + losses);
if (tf.memory().numTensors !== before) throw new Error('fit leaked tensors');
console.log('trained from the packed packages: ok, loss per epoch', losses.map((l) => l.toFixed(2)).join(' -> '));
`,
);
// What the examples import besides the packages: the other backends, and Node's types.
const EXAMPLE_DEPS = [
  '@tensorflow/tfjs-backend-wasm@4.22.0',
  '@tensorflow/tfjs-backend-webgl@4.22.0',
  '@types/node@20.19.25',
  '@types/pngjs@6.0.5',
];
run(
  'npm',
  ['install', '--no-audit', '--loglevel=error', ...tarballs.values(), ...TFJS, ...EXAMPLE_DEPS],
  together,
);
run('node', ['smoke.mjs'], together);

console.log('\n== source maps point at files the tarballs ship');
const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
const unresolved = [];
let maps = 0;
for (const name of names) {
  const installed = join(together, 'node_modules', name);
  for (const file of walk(installed).filter((path) => path.endsWith('.map'))) {
    maps += 1;
    const map = JSON.parse(readFileSync(file, 'utf8'));
    for (const source of map.sources) {
      const path = resolve(dirname(file), map.sourceRoot ?? '', source);
      if (!existsSync(path)) unresolved.push(`${relative(together, file)} -> ${source}`);
    }
  }
}
if (unresolved.length > 0) {
  throw new Error(`source maps point at files not in the tarballs:\n  ${unresolved.join('\n  ')}`);
}
console.log(`${maps} source maps of ${names.length} packages: every source ships`);

// A user's stack trace, with Node's --enable-source-maps: the frames inside
// @vae/divergence must name its shipped .ts files, at the line that throws.
writeFileSync(
  join(together, 'stack.mjs'),
  `import '@tensorflow/tfjs-backend-cpu';
import { kl } from '@vae/divergence';
try {
  kl([0.7, 0.7], [0.5, 0.5]);
} catch (error) {
  console.log(error.stack);
}
`,
);
const stack = spawnSync('node', ['--enable-source-maps', 'stack.mjs'], {
  cwd: together,
  encoding: 'utf8',
}).stdout;
const frames = [...stack.matchAll(/\((.*node_modules\/@vae\/divergence\/[^)]*):(\d+):\d+\)/g)].map(
  ([, file, line]) => ({ file, line: Number(line) }),
);
const top = frames[0];
const topLine =
  top && existsSync(top.file) ? readFileSync(top.file, 'utf8').split('\n')[top.line - 1] : '';
if (
  !top?.file.endsWith('/src/vae-error.ts') ||
  !topLine.includes('throw new VaeError') ||
  !frames.some((frame) => frame.file.endsWith('/src/kl.ts'))
) {
  throw new Error(`a stack trace from @vae/divergence does not map to its sources:\n${stack}`);
}
console.log(`stack trace maps to ${relative(together, top.file)}:${top.line}: ${topLine.trim()}`);

console.log('\n== documentation examples and signature help, against the packed packages');
run('pnpm', ['--filter', '@vae/doc-examples', 'check', '--installed', together]);
