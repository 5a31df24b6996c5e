import { CommanderError } from 'commander';
import { describeError } from './internal/errors.js';
import { createProgram } from './program.js';

/**
 * Runs the `vae` program on `argv` (without the node and script entries) and
 * returns the exit code. Every failure is written to stderr as one line
 * (`vae: <message>`); usage errors are commander's one-line `error: ...`.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = await createProgram();
  program.exitOverride();
  for (const command of program.commands) command.exitOverride();
  process.exitCode = undefined;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode; // already printed by commander
    process.stderr.write(`vae: ${describeError(error)}\n`);
    return 1;
  } finally {
    process.exitCode = undefined;
  }
}
