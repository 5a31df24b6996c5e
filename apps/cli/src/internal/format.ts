/** Human-readable numbers and durations for the CLI's lines. */

/** 60000 -> "60,000". */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Seconds as "0.4 s", "42 s", "3 min 05 s", "1 h 02 min". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A number with fixed decimals, or its name when not finite. */
export function fixed(value: number | undefined, digits = 2): string {
  if (value === undefined) return '-';
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** [28, 28, 1] -> "28x28x1". */
export function shapeText(shape: readonly number[]): string {
  return shape.join('x');
}

/** "1 epoch", "2 epochs". */
export function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`;
}
