// The `vae` command as a user gets it from npm: packs @vae/cli next to the
// package tarballs that scripts/check-packages.mjs left in .pack/, installs them
// into an empty folder outside the repository, and runs
//   npx vae --help                              (its time is printed: a benchmark line, never asserted)
//   npx vae train --epochs 1 --limit 2000       (must train and write its run folder)
// Run after `pnpm build` and scripts/check-packages.mjs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pack, quietNpmEnv, run } from './lib/pack.mjs';

const root = resolve(import.meta.dirname, '..');
const packDir = join(root, '.pack');
const env = quietNpmEnv;

const tarballsOf = () => readdirSync(packDir).filter((file) => file.endsWith('.tgz'));
if (!existsSync(packDir) || tarballsOf().length === 0) {
  throw new Error(
    'check-cli-tarball: run scripts/check-packages.mjs first (it packs the packages into .pack/)',
  );
}
const cliTarball = pack(join(root, 'apps/cli'), packDir);
console.log(
  `\n== @vae/cli from its tarball (${basename(cliTarball)}), in an empty folder outside the repository`,
);

const user = mkdtempSync(join(tmpdir(), 'vae-cli-user-'));
try {
  writeFileSync(join(user, 'package.json'), JSON.stringify({ name: 'vae-user', private: true }));
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--loglevel=error',
      ...tarballsOf().map((file) => join(packDir, file)),
    ],
    user,
  );
  const started = performance.now();
  const help = execFileSync('npx', ['--no-install', 'vae', '--help'], {
    cwd: user,
    env,
    encoding: 'utf8',
  });
  const helpSeconds = (performance.now() - started) / 1000;
  if (!help.includes('train')) throw new Error(`vae --help does not list train:\n${help}`);
  console.log(`npx vae --help answered in ${helpSeconds.toFixed(2)} s (target: under 2 s)`);

  run(
    'npx',
    ['--no-install', 'vae', 'train', '--epochs', '1', '--limit', '2000', '--out', 'run'],
    user,
  );
  const written = readdirSync(join(user, 'run'));
  for (const file of ['config.json', 'metrics.jsonl', 'samples.png', 'checkpoint.ckpt']) {
    if (!written.includes(file))
      throw new Error(`vae train wrote ${written.join(', ')}; ${file} is missing`);
  }
  const metrics = readFileSync(join(user, 'run', 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n');
  const last = JSON.parse(metrics.at(-1));
  if (!Number.isFinite(last.testLoss)) throw new Error(`vae train: test loss ${last.testLoss}`);
  console.log(
    `npx vae train --epochs 1 --limit 2000: test negative ELBO ${last.testLoss.toFixed(2)} nats`,
  );
} finally {
  rmSync(user, { recursive: true, force: true });
}
