// What scripts/check-packages.mjs and scripts/check-cli-tarball.mjs share:
// running a tool with its output shown, and packing one workspace package.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The environment of every npm and pnpm call here: no funding or update notices. */
export const quietNpmEnv = {
  ...process.env,
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

/** Runs `command args` in `cwd` with its output shown; throws when it fails or outlives 15 minutes. */
export function run(command, args, cwd) {
  execFileSync(command, args, { cwd, stdio: 'inherit', env: quietNpmEnv, timeout: 15 * 60_000 });
}

/** Packs the package in `dir` into `packDir` (`pnpm pack`); returns the new tarball's path. */
export function pack(dir, packDir) {
  const before = new Set(readdirSync(packDir));
  run('pnpm', ['pack', '--pack-destination', packDir], dir);
  const tarball = readdirSync(packDir).find((file) => !before.has(file));
  if (tarball === undefined) throw new Error(`pnpm pack in ${dir} wrote no tarball to ${packDir}`);
  return join(packDir, tarball);
}
