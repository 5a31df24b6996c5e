/** Evenly spaced "nice" tick values (steps of 1, 2 or 5 times a power of ten) covering [min, max]. */
export function niceTicks(
  min: number,
  max: number,
  options: { count?: number; integer?: boolean } = {},
): { domain: [number, number]; ticks: number[]; decimals: number } {
  const { count = 5, integer = false } = options;
  if (max - min < 1e-12 * Math.max(1, Math.abs(max))) {
    const pad = integer ? 1 : Math.max(Math.abs(min) * 0.1, 1e-3);
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  let step = ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power) as number;
  if (integer) step = Math.max(1, Math.round(step));
  const start = Math.floor(min / step) * step;
  const end = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let k = 0; start + k * step <= end + step * 1e-9; k++) ticks.push(start + k * step);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return { domain: [start, end], ticks, decimals };
}
