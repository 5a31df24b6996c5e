/** A seed for one parameter, derived deterministically from a module seed and an index. */
export function deriveSeed(seed: number, index: number): number {
  // 32-bit mix (a step of splitmix32) so nearby seeds give unrelated streams.
  let h = (Math.imul(seed | 0, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A fresh seed when the user gave none. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
