// Seeded, platform-independent randomness for shuffling and per-step seeds.

/** splitmix32: a fast 32-bit hash/PRNG step with good avalanche. */
function mix(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A deterministic 32-bit seed derived from a seed and a counter (epoch or step). */
export function deriveSeed(seed: number, counter: number): number {
  return mix(mix(seed >>> 0) ^ Math.imul(counter + 1, 0x27d4eb2d));
}

/** The order of examples in one epoch: a Fisher-Yates shuffle seeded by (seed, epoch). */
export function epochPermutation(size: number, seed: number, epoch: number): Uint32Array {
  const order = new Uint32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  let state = deriveSeed(seed, epoch);
  for (let i = size - 1; i > 0; i--) {
    state = mix(state);
    const j = Math.floor((state / 4294967296) * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
