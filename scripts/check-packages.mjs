// Packs every publishable package the way it will be published, checks each
// tarball with publint and arethetypeswrong, then installs tarballs into empty
// projects and imports them with plain Node, as a user would:
//   1. @vae/divergence alone must bring in no other @vae package;
//   2. every package together must import and run without a bundler.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const packDir = join(root, '.pack');
const run = (command, args, cwd = root) =>
  execFileSync(command, args, {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, npm_config_fund: 'false' },
  });

rmSync(packDir, { recursive: true, force: true });
mkdirSync(packDir);

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);

const tarballs = new Map();
for (const { dir, manifest } of packages) {
  const before = new Set(readdirSync(packDir));
  run('pnpm', ['pack', '--pack-destination', packDir], dir);
  const tarball = readdirSync(packDir).find((file) => !before.has(file));
  tarballs.set(manifest.name, join(packDir, tarball));
  console.log(`\n== ${manifest.name}: publint`);
  run('pnpm', ['exec', 'publint', '--strict', dir]);
  console.log(`== ${manifest.name}: arethetypeswrong`);
  run('pnpm', ['exec', 'attw', '--profile', 'esm-only', join(packDir, tarball)]);
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
run('npm', ['install', '--no-audit', '--loglevel=error', ...tarballs.values(), ...TFJS], together);
run('node', ['smoke.mjs'], together);
