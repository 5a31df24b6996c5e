import { VaeError } from '@vae/divergence';

/** A failure the CLI reports as one line and exit code `exitCode`, e.g. refusing to overwrite a run. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The one line the user sees: the message of a VaeError or CliError; other errors with their name. */
export function describeError(error: unknown): string {
  if (VaeError.isInstance(error) || error instanceof CliError) return firstLine(error.message);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('E')) return firstLine(error.message);
    return firstLine(`${error.name}: ${error.message}`);
  }
  return String(error);
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
