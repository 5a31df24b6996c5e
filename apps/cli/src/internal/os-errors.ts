/** The OS's reason in an fs error: "permission denied (EACCES)". */
export function osReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  // Node's fs messages read "EACCES: permission denied, open '/x'".
  const match = /^[A-Z0-9]+: ([^,]+)/.exec(message);
  const reason = match?.[1] ?? message;
  return typeof code === 'string' ? `${reason} (${code})` : reason;
}

/** True for an fs error with this code. */
export function hasCode(error: unknown, code: string): boolean {
  return (error as { code?: unknown } | null)?.code === code;
}
