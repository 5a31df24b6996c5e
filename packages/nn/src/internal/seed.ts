// nn's seeds: per-parameter streams come from @vae/divergence's deriveSeed (the
// one home of seed mixing); an unseeded module draws a fresh random seed.
export { deriveSeed } from '@vae/divergence';

/** A fresh seed when the user gave none. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
