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
 * A contender of {@link interleavedThroughput}: runs a block of `calls` calls and
 * returns the seconds the block took.
 */
export type TimedBlock = (calls: number) => Promise<number>;

/** A {@link TimedBlock} of `run`, timed on this process's clock. */
export function timedCalls(run: () => void | Promise<void>): TimedBlock {
  return async (calls) => {
    const start = performance.now();
    for (let i = 0; i < calls; i++) await run();
    return (performance.now() - start) / 1000;
  };
}

/**
 * Samples per second of each of `blocks`, measured in alternating rounds (A B, B A,
 * A B, ...: each round starts with the next contender) after a block of `warmup`
 * untimed calls of each: a slow start or a change
 * in the machine's load over the run then falls on every contender alike, not on
 * whichever runs first. Each round is one block of `repeatsPerRound` calls per
 * contender, timed by the contender (a child process times its block itself, so the
 * channel's latency is not counted). Each figure is the median over the rounds, so
 * one round disturbed by another process does not move it.
 */
export async function interleavedThroughput(
  blocks: readonly TimedBlock[],
  options: { warmup: number; rounds: number; repeatsPerRound: number; samplesPerCall: number },
): Promise<number[]> {
  for (const block of blocks) {
    if (options.warmup > 0) await block(options.warmup);
  }
  const rates: number[][] = blocks.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    // Round r starts with contender r mod n, so no contender always follows the same
    // one (a child process's threads waking or settling, a cache the previous block
    // filled): with a fixed order @vae's sampling, always right after PyTorch's round,
    // read 0.84-0.88x tfjs-layers in runs where it read 0.96-1.10x without PyTorch.
    for (let turn = 0; turn < blocks.length; turn++) {
      const index = (round + turn) % blocks.length;
      const seconds = await blocks[index]!(options.repeatsPerRound);
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
