import { CommanderError } from 'commander';
import { describeError } from './internal/errors.js';
import { type CliIo, processIo } from './internal/io.js';
import { createProgram } from './program.js';

/**
 * Runs the `vae` program on `argv` (without the node and script entries) and
 * returns the exit code. Every failure is written to `io.stderr` as one line
 * (`vae: <message>`); usage errors are commander's one-line `error: ...`.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const program = createProgram(io);
  program.exitOverride();
  for (const command of program.commands) command.exitOverride();
  const previous = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode; // already printed by commander
    io.stderr.write(`vae: ${describeError(error)}\n`);
    return 1;
  } finally {
    process.exitCode = previous;
  }
}
