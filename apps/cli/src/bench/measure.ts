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
