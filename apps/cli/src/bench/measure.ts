/** Samples per second of `run`, after `warmup` untimed calls. */
export async function throughput(options: {
  warmup: number;
  repeats: number;
  samplesPerCall: number;
  run: () => void | Promise<void>;
}): Promise<number> {
  for (let i = 0; i < options.warmup; i++) await options.run();
  const start = performance.now();
  for (let i = 0; i < options.repeats; i++) await options.run();
  const seconds = (performance.now() - start) / 1000;
  return (options.repeats * options.samplesPerCall) / seconds;
}

/**
 * Samples per second of each of `runs`, measured in alternating rounds (A, B, A,
 * B, ...) after `warmup` untimed calls of each: a slow start or a change in the
 * machine's load over the run then falls on every contender alike, not on
 * whichever runs first. Each figure is the median over the rounds, so one round
 * disturbed by another process does not move it.
 */
export async function interleavedThroughput(
  runs: readonly (() => void | Promise<void>)[],
  options: { warmup: number; rounds: number; repeatsPerRound: number; samplesPerCall: number },
): Promise<number[]> {
  for (const run of runs) {
    for (let i = 0; i < options.warmup; i++) await run();
  }
  const rates: number[][] = runs.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, run] of runs.entries()) {
      const start = performance.now();
      for (let i = 0; i < options.repeatsPerRound; i++) await run();
      const seconds = (performance.now() - start) / 1000;
      rates[index]!.push((options.repeatsPerRound * options.samplesPerCall) / seconds);
    }
  }
  return rates.map(median);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
