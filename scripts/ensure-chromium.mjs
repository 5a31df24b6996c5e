// Makes sure Debian's Chromium is installed for the browser tests (vitest
// browser mode and apps/web's end-to-end test drive /usr/bin/chromium; no tool
// downloads its own browser). Installs it with apt-get when running as root on
// Debian/Ubuntu; otherwise fails with a message that says what to do.
// `VAE_CHROMIUM` points at another Chromium binary.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.VAE_CHROMIUM ?? '/usr/bin/chromium';

function works(path) {
  if (!existsSync(path)) return false;
  try {
    execFileSync(path, ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

function fail(message) {
  console.error(`ensure-chromium: ${message}`);
  process.exit(1);
}

if (!works(chromium)) {
  if (process.env.VAE_CHROMIUM) {
    fail(`VAE_CHROMIUM=${chromium} is not a working Chromium binary.`);
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    fail(
      `no Chromium at ${chromium}, needed by the browser tests. Install Debian's package ` +
        '(`sudo apt-get install -y chromium`) or set VAE_CHROMIUM to a Chromium binary.',
    );
  }
  console.error(
    `ensure-chromium: no Chromium at ${chromium}; installing Debian's chromium with apt-get`,
  );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      stdio: 'inherit',
      env,
    });
  } catch (error) {
    fail(`apt-get install chromium failed (${error.message}); install it by hand and rerun.`);
  }
  if (!works(chromium)) fail(`apt-get finished but ${chromium} still does not run.`);
}
