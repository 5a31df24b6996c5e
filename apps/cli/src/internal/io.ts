import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where the CLI writes: a stream with `write` (process.stdout/stderr, or a test's buffer). */
export interface OutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** The CLI's surroundings: its two output streams, environment and working folder. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/**
 * How the user runs this CLI, for the "what to run next" lines: the repository's
 * launcher says so (`pnpm vae`), `npx` runs a local install (`npx vae`) or the
 * registry package (`npx @vae/cli`); otherwise the installed `vae` bin.
 */
export function invocation(io: CliIo): string {
  const declared = io.env.VAE_CLI_COMMAND;
  if (declared !== undefined && declared.trim() !== '') return declared.trim();
  if (io.env.npm_command === 'exec') {
    return existsSync(join(io.cwd, 'node_modules', '.bin', 'vae')) ? 'npx vae' : 'npx @vae/cli';
  }
  return 'vae';
}

/** The command that installs `name` with the package manager the user runs us from. */
export function installCommand(io: CliIo, name: string): string {
  const declared = io.env.VAE_CLI_INSTALL;
  if (declared !== undefined && declared.trim() !== '') return `${declared.trim()} ${name}`;
  const agent = io.env.npm_config_user_agent ?? '';
  if (agent.startsWith('pnpm/')) return `pnpm add ${name}`;
  if (agent.startsWith('yarn/')) return `yarn add ${name}`;
  if (agent.startsWith('bun/')) return `bun add ${name}`;
  return `npm install ${name}`;
}

/** Quotes a path for a shell command line when it needs quoting. */
export function shellQuote(path: string): string {
  return /^[\w./:@%+=,-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
