/**
 * A small seeded PRNG (mulberry32) for host-side shuffling and sampling: fast,
 * 32-bit state, identical on every platform. Not for cryptography.
 */
export type Random = () => number;

/** Mixes a seed and a stream number into one 32-bit state (splitmix-style hashing). */
export function mixSeed(seed: number, stream = 0): number {
  let h = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = (h + Math.imul(Math.floor(stream) >>> 0, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A uniform [0, 1) generator from a 32-bit seed. */
export function createRandom(seed: number, stream = 0): Random {
  let state = mixSeed(seed, stream);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller) from a uniform generator. */
export function normal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
