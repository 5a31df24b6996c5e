import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, vi } from 'vitest';
import { runCli } from '../src/cli.js';

// The CLI runs as in production: tfjs's test-mode per-kernel leak check (which
// the shared setup turns on with IS_TEST) is off, as it is for a user.
beforeAll(() => {
  tf.env().set('IS_TEST', false);
});

/** Runs the CLI in-process and captures what it writes. */
export async function vae(
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await runCli(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** The lines of a text, without the empty last one. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}
