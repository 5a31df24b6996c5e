// A JSON import, not node:fs, so the same helper works in Node and in the browser tests.
import fixture from '../fixtures/torch-distributions.json' with { type: 'json' };

/** A number from the reference file: non-finite values are stored as strings. */
export type ReferenceNumber = number | 'Infinity' | '-Infinity' | 'NaN';
/** Nested arrays of reference numbers. */
export type ReferenceArray = ReferenceNumber | ReferenceArray[];

/** One family's case: constructor params, points `x` ([3, ...batch, ...event]) and expected values. */
export interface DistributionCase {
  type: string;
  params: Record<string, ReferenceArray>;
  x?: ReferenceArray;
  log_prob?: ReferenceArray;
  entropy?: ReferenceArray;
  mean?: ReferenceArray;
  variance?: ReferenceArray;
  cdf?: ReferenceArray;
  [key: string]: unknown;
}

/** One closed-form KL case between two parameterized families. */
export interface KlCase {
  p: { type: string; params: Record<string, ReferenceArray> };
  q: { type: string; params: Record<string, ReferenceArray> };
  kl: ReferenceArray;
}

/** One discrete pair of probability vectors with divergences between them. */
export interface DiscreteCase {
  p: number[];
  q: number[];
  entropy_p: ReferenceNumber;
  cross_entropy: ReferenceNumber;
  kl: ReferenceNumber;
  reverse_kl: ReferenceNumber;
  js?: ReferenceNumber;
  total_variation?: ReferenceNumber;
  hellinger?: ReferenceNumber;
  [key: string]: unknown;
}

/** The whole reference file computed by torch.distributions in float64. */
export interface TorchReference {
  source: string;
  notes: string;
  distributions: DistributionCase[];
  kl: KlCase[];
  discrete: DiscreteCase[];
}

/** The torch.distributions reference values (a copy of shared/reference, kept as a fixture). */
export function torchReference(): TorchReference {
  return fixture as unknown as TorchReference;
}

/** Converts the file's string-encoded non-finite values to numbers, recursively. */
export function toNumbers(value: ReferenceArray): number | unknown[] {
  if (Array.isArray(value)) return value.map(toNumbers);
  return typeof value === 'string' ? Number(value) : value;
}

/** Flattens a (nested) reference value into a plain number array. */
export function flatNumbers(value: ReferenceArray): number[] {
  const converted = toNumbers(value);
  return Array.isArray(converted)
    ? (converted.flat(Number.POSITIVE_INFINITY) as number[])
    : [converted];
}
