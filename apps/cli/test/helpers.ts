import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { decodeCheckpoint } from '@vae/trainer';
import { beforeAll } from 'vitest';
import { runCli } from '../src/cli.js';
import type { CliIo } from '../src/internal/io.js';

// The CLI runs as in production: tfjs's test-mode per-kernel leak check (which
// the shared setup turns on with IS_TEST) is off, as it is for a user.
beforeAll(() => {
  tf.env().set('IS_TEST', false);
});

/** What a CLI run printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** An environment without the variables a package manager would set, so output is as for a user. */
function cleanEnv(
  extra: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('npm_') || name.startsWith('VAE_')) delete env[name];
  }
  return { ...env, ...extra };
}

/** Runs the CLI in-process with its own output streams, in `cwd` (default the process's). */
export async function vaeIn(
  context: { cwd?: string; env?: Record<string, string | undefined> },
  ...argv: string[]
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: cleanEnv(context.env),
    cwd: context.cwd ?? process.cwd(),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** Runs the CLI in-process and captures what it writes. */
export function vae(...argv: string[]): Promise<CliRun> {
  return vaeIn({}, ...argv);
}

/** The lines of a text, without the empty ones. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** A new temporary folder. */
export function temporary(prefix = 'vae-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

const CLI_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A CLI process from the sources (tsx), as a user's `vae` would run; output collected. */
export interface CliProcess {
  child: ChildProcess;
  /** Everything written so far to stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

/** Starts `vae ...argv` in a child process (its own backend, killable). */
export function spawnVae(
  argv: readonly string[],
  env: Record<string, string | undefined> = {},
): CliProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@vae/source', 'src/main.ts', ...argv],
    { cwd: CLI_ROOT, env: cleanEnv(env) as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, output: () => output, exit };
}

/** Runs `vae ...argv` in a child process to the end. */
export async function runVae(
  argv: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number | null; output: string }> {
  const { exit } = spawnVae(argv, env);
  const { code, output } = await exit;
  return { code, output };
}

/** Resolves once `predicate` holds on the process's output (polled), or rejects when it exits first. */
export async function waitFor(
  process: CliProcess,
  predicate: (output: string) => boolean,
  timeoutMs = 120_000,
): Promise<void> {
  const started = Date.now();
  let exited = false;
  void process.exit.then(() => {
    exited = true;
  });
  while (!predicate(process.output())) {
    if (exited)
      throw new Error(`the process exited before the expected output:\n${process.output()}`);
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out waiting:\n${process.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The model weights of a run's checkpoint, by name, as bytes (for bit-identical comparisons). */
export function checkpointWeights(path: string): Map<string, string> {
  const checkpoint = decodeCheckpoint(readFileSync(path), path);
  const bytes = new Uint8Array(checkpoint.weightData);
  const weights = new Map<string, string>();
  let offset = 0;
  for (const spec of checkpoint.weightSpecs) {
    const size = spec.shape.reduce((a, b) => a * b, 1) * 4;
    if (spec.name.startsWith('model/')) {
      weights.set(spec.name, Buffer.from(bytes.subarray(offset, offset + size)).toString('base64'));
    }
    offset += size;
  }
  return weights;
}

/** The JSON lines of a file. */
export function readJsonLines(path: string): Array<Record<string, number>> {
  return lines(readFileSync(path, 'utf8')).map(
    (line) => JSON.parse(line) as Record<string, number>,
  );
}
