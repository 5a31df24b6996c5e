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
 * whichever runs first.
 */
export async function interleavedThroughput(
  runs: readonly (() => void | Promise<void>)[],
  options: { warmup: number; rounds: number; repeatsPerRound: number; samplesPerCall: number },
): Promise<number[]> {
  for (const run of runs) {
    for (let i = 0; i < options.warmup; i++) await run();
  }
  const elapsed = runs.map(() => 0);
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, run] of runs.entries()) {
      const start = performance.now();
      for (let i = 0; i < options.repeatsPerRound; i++) await run();
      elapsed[index]! += performance.now() - start;
    }
  }
  const samples = options.rounds * options.repeatsPerRound * options.samplesPerCall;
  return elapsed.map((ms) => samples / (ms / 1000));
}
