import type { UniformGenerator } from '@vae/divergence';

/** A standard normal draw (Box-Muller) from a uniform generator on [0, 1). */
export function normal(uniform: UniformGenerator): number {
  const u = 1 - uniform();
  const v = uniform();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
