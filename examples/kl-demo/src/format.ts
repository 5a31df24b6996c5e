// Small helpers that print the demo's tables.

const LABEL_WIDTH = 24;

/** Prints a section title. */
export function heading(title: string): void {
  console.log(`\n${title}\n${'-'.repeat(title.length)}`);
}

/** Prints `label  value` with the labels aligned. */
export function row(label: string, value: string): void {
  console.log(`  ${label.padEnd(LABEL_WIDTH)}${value}`);
}

/** A value in nats, aligned: `0.1234 nats`, or `Infinity`. */
export function nats(value: number): string {
  return Number.isFinite(value)
    ? `${value.toFixed(4).padStart(8)} nats`
    : `${String(value).padStart(8)}`;
}

/** `  P   sun 0.50  cloud 0.30 ...` */
export function formatDistribution(
  name: string,
  outcomes: readonly string[],
  probs: readonly number[],
): string {
  const cells = outcomes.map((outcome, i) => `${outcome} ${probs[i]!.toFixed(2)}`);
  return `  ${name.padEnd(LABEL_WIDTH)}${cells.join('   ')}`;
}
