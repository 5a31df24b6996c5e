import fc from 'fast-check';

const weight = fc.double({ min: 0.02, max: 1, noNaN: true });

/** A probability vector of length 2..8 with entries bounded away from 0. */
export function probabilityVector(length?: number): fc.Arbitrary<number[]> {
  const weights =
    length === undefined
      ? fc.array(weight, { minLength: 2, maxLength: 8 })
      : fc.array(weight, { minLength: length, maxLength: length });
  return weights.map(normalize);
}

/** Two probability vectors of the same length. */
export function probabilityVectorPair(): fc.Arbitrary<[number[], number[]]> {
  return fc
    .integer({ min: 2, max: 8 })
    .chain((k) => fc.tuple(probabilityVector(k), probabilityVector(k)));
}

function normalize(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}
