// Keeps apps/cli/dist current inside the repository (see vae.mjs). A fingerprint
// of every build input (path, size and modification time of the sources,
// package.json and tsconfig files of the CLI and the packages) is stored beside
// the build; when it matches, nothing runs. Otherwise turbo builds the CLI and
// its packages (`--filter=@vae/cli...`, cached per package), with its telemetry
// notice and logs silenced unless the build fails.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('..', import.meta.url));
const root = join(cli, '..', '..');
const stamp = join(cli, 'dist', '.build-fingerprint');

function walk(folder, out) {
  if (!existsSync(folder)) return;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else out.push(path);
  }
}

/** A hash of every input of the build: what turbo's `build` task reads. */
function fingerprint() {
  const files = [];
  const projects = [
    cli,
    ...readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name)),
  ];
  for (const project of projects) {
    walk(join(project, 'src'), files);
    for (const name of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) {
      const path = join(project, name);
      if (existsSync(path)) files.push(path);
    }
  }
  files.push(join(root, 'tsconfig.base.json'), join(root, 'pnpm-lock.yaml'));
  const hash = createHash('sha256');
  for (const path of files.sort()) {
    const info = statSync(path);
    hash.update(`${path}\0${info.size}\0${info.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

function turbo() {
  const bin = join(root, 'node_modules', 'turbo', 'bin', 'turbo');
  return existsSync(bin) ? [process.execPath, [bin]] : ['npx', ['--yes', 'turbo']];
}

/** Builds the CLI and its packages when their sources changed since the last build. */
export async function ensureBuilt() {
  const current = fingerprint();
  const built = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : undefined;
  if (built === current && existsSync(join(cli, 'dist', 'main.js'))) return;
  const first = built === undefined;
  process.stderr.write(
    first
      ? 'building the vae CLI and its packages (first run: about a minute; later runs start at once) ... '
      : 'sources changed: rebuilding the vae CLI and its packages ... ',
  );
  const started = performance.now();
  const [command, prefix] = turbo();
  const result = spawnSync(
    command,
    [...prefix, 'run', 'build', '--filter=@vae/cli...', '--output-logs=errors-only'],
    {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        TURBO_TELEMETRY_DISABLED: '1',
        DO_NOT_TRACK: '1',
        TURBO_NO_UPDATE_NOTIFIER: '1',
      },
    },
  );
  if (result.status !== 0) {
    process.stderr.write('failed\n');
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}\n`);
    process.exit(result.status ?? 1);
  }
  process.stderr.write(`done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  writeFileSync(stamp, `${fingerprint()}\n`);
}
