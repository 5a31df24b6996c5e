// Reference tests against torch.distributions (float64) values, reusable by every family.
import * as tf from '@tensorflow/tfjs-core';
import {
  type DistributionCase,
  expectClose,
  expectNoLeaks,
  flatNumbers,
  type KlCase,
  type ReferenceArray,
  type Tolerance,
  type TorchReference,
  toNumbers,
  torchReference,
} from '@vae/test-kit';
import { expect } from 'vitest';
import type { Bijector } from '../../src/bijectors/bijector.js';
import type { Distribution } from '../../src/distribution.js';
import { klDivergence } from '../../src/kl-registry.js';
import bijectorFixture from '../fixtures/bijectors.json' with { type: 'json' };
import continuousFixture from '../fixtures/torch-continuous.json' with { type: 'json' };
import discreteReferenceFile from '../fixtures/torch-discrete.json' with { type: 'json' };

/** Reference fields checked by {@link checkReferenceCase}. */
export type ReferenceField = 'log_prob' | 'mean' | 'variance' | 'entropy' | 'cdf';

const FIELDS: readonly ReferenceField[] = ['log_prob', 'mean', 'variance', 'entropy', 'cdf'];

/** Builds a distribution from the case's params, converted to float32 tensors. */
export type Factory = (params: Record<string, tf.Tensor>) => Distribution;

/** Per-field tolerances (FLOAT32 by default: rtol 1e-4, atol 1e-5). */
export interface ReferenceOptions {
  tolerance?: Tolerance;
  fields?: Partial<Record<ReferenceField, Tolerance>>;
}

/** The distribution case of `type` ('Normal', 'DiagNormal', ...) in `reference`; throws if absent. */
export function referenceCase(
  type: string,
  reference: Pick<TorchReference, 'distributions'> = torchReference(),
): DistributionCase {
  const found = reference.distributions.find((c) => c.type === type);
  if (found === undefined) throw new Error(`no reference case for ${type}`);
  return found;
}

/** The KL case for the pair (pType, qType) in `reference`; throws if absent. */
export function referenceKlCase(
  pType: string,
  qType: string,
  reference: Pick<TorchReference, 'kl'> = torchReference(),
): KlCase {
  const found = reference.kl.find((c) => c.p.type === pType && c.q.type === qType);
  if (found === undefined) throw new Error(`no reference KL case for ${pType} || ${qType}`);
  return found;
}

/** float32 tensor from a reference value (string infinities converted). */
export function referenceTensor(value: ReferenceArray): tf.Tensor {
  return tf.tensor(toNumbers(value) as number | number[], undefined, 'float32');
}

function paramTensors(params: Record<string, ReferenceArray>): Record<string, tf.Tensor> {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, referenceTensor(value)]),
  );
}

function compute(d: Distribution, field: ReferenceField, x: tf.Tensor | undefined): tf.Tensor {
  switch (field) {
    case 'log_prob':
      return d.logProb(x!);
    case 'mean':
      return d.mean();
    case 'variance':
      return d.variance();
    case 'entropy':
      return d.entropy();
    case 'cdf':
      return d.cdf(x!);
  }
}

/**
 * Checks every field present in `c` (log_prob and cdf at `x`, mean, variance, entropy) against
 * the distribution `make` builds, within float32 tolerance, and that nothing leaks. Returns the
 * fields it checked, so a test can assert coverage.
 */
export async function checkReferenceCase(
  c: DistributionCase,
  make: Factory,
  options: ReferenceOptions = {},
): Promise<ReferenceField[]> {
  const checked: ReferenceField[] = [];
  await expectNoLeaks(() => {
    const params = paramTensors(c.params);
    const x = c.x === undefined ? undefined : referenceTensor(c.x);
    const d = make(params);
    for (const field of FIELDS) {
      const expected = c[field] as ReferenceArray | undefined;
      if (expected === undefined) continue;
      const actual = compute(d, field, x);
      const want = flatNumbers(expected);
      expect(actual.size, `${c.type}.${field} size`).toBe(want.length);
      try {
        expectClose(actual, want, { ...options.tolerance, ...options.fields?.[field] });
      } catch (error) {
        throw new Error(`${c.type}.${field}: ${(error as Error).message}`);
      } finally {
        actual.dispose();
      }
      checked.push(field);
    }
    d.dispose();
    tf.dispose([...Object.values(params), ...(x === undefined ? [] : [x])]);
  });
  return checked;
}

/** Checks `klDivergence` on a KL case against torch, building p and q with the factories. */
export function checkKlCase(c: KlCase, makeP: Factory, makeQ: Factory = makeP): Promise<void> {
  return checkKlCaseWith(c, { p: makeP, q: makeQ });
}

/** {@link checkKlCase} with a tolerance other than FLOAT32. */
export async function checkKlCaseWith(
  c: KlCase,
  make: { p: Factory; q: Factory; tolerance?: Tolerance },
): Promise<void> {
  const { p: makeP, q: makeQ, tolerance = {} } = make;
  await expectNoLeaks(() => {
    const pParams = paramTensors(c.p.params);
    const qParams = paramTensors(c.q.params);
    const p = makeP(pParams);
    const q = makeQ(qParams);
    const kl = klDivergence(p, q);
    try {
      expectClose(kl, flatNumbers(c.kl), tolerance);
    } catch (error) {
      throw new Error(`KL(${c.p.type} || ${c.q.type}): ${(error as Error).message}`);
    }
    tf.dispose([kl, ...Object.values(pParams), ...Object.values(qParams)]);
    p.dispose();
    q.dispose();
  });
}

// --- Bijectors and transformed distributions (test/fixtures/bijectors.json) ---

/** One bijector's reference: forward and its log-det at `x`, inverse and its log-det at `y`. */
export interface BijectorCase {
  name: string;
  params: Record<string, ReferenceArray>;
  options: Record<string, unknown>;
  x: ReferenceArray;
  forward: ReferenceArray;
  forward_log_det_jacobian: ReferenceArray;
  y: ReferenceArray;
  inverse: ReferenceArray;
  inverse_log_det_jacobian: ReferenceArray;
}

/** The fixture written by test/fixtures/generate-bijectors.py. */
export interface BijectorReference {
  source: string;
  bijectors: BijectorCase[];
  /** TransformedDistribution cases in the format of {@link checkReferenceCase}. */
  transformed: DistributionCase[];
  logisticNormal: DistributionCase[];
}

/** The bijector reference values (torch float64). */
export function bijectorReference(): BijectorReference {
  return bijectorFixture as unknown as BijectorReference;
}

/** The bijector case named `name`; throws if absent. */
export function bijectorCase(name: string): BijectorCase {
  const found = bijectorReference().bijectors.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no bijector reference case ${name}`);
  return found;
}

/** The bijector under test, built from the case's params as float32 tensors. */
export type BijectorFactory = (params: Record<string, tf.Tensor>, c: BijectorCase) => Bijector;

/**
 * Checks forward and its log-det at `x`, inverse and its log-det at `y` (a tensor of its own,
 * so the inverse really inverts rather than reading the cache) of the bijector `make` builds
 * against `c`, within `tolerance` (FLOAT32 by default), leaking nothing.
 */
export async function checkBijectorCase(
  c: BijectorCase,
  make: BijectorFactory,
  tolerance: Partial<Record<BijectorField, Tolerance>> = {},
): Promise<void> {
  await expectNoLeaks(() => {
    const params = paramTensors(c.params);
    const bijector = make(params, c);
    const x = referenceTensor(c.x);
    const y = referenceTensor(c.y);
    const actual: Record<BijectorField, tf.Tensor> = {
      forward: bijector.forward(x),
      forward_log_det_jacobian: bijector.forwardLogDetJacobian(x),
      inverse: bijector.inverse(y),
      inverse_log_det_jacobian: bijector.inverseLogDetJacobian(y),
    };
    try {
      for (const field of BIJECTOR_FIELDS) {
        const want = flatNumbers(c[field]);
        expect(actual[field].size, `${c.name}.${field} size`).toBe(want.length);
        try {
          expectClose(actual[field], want, tolerance[field] ?? {});
        } catch (error) {
          throw new Error(`${c.name}.${field}: ${(error as Error).message}`);
        }
      }
    } finally {
      tf.dispose([...Object.values(actual), ...Object.values(params), x, y]);
      bijector.dispose();
    }
  });
}

/** The fields of a {@link BijectorCase} checked by {@link checkBijectorCase}. */
export type BijectorField =
  | 'forward'
  | 'forward_log_det_jacobian'
  | 'inverse'
  | 'inverse_log_det_jacobian';

const BIJECTOR_FIELDS: readonly BijectorField[] = [
  'forward',
  'forward_log_det_jacobian',
  'inverse',
  'inverse_log_det_jacobian',
];
// Continuous families of issue 12: a second fixture, test/fixtures/torch-continuous.json (written
// by generate-continuous.py beside it), read with the helpers above plus icdf, mode and the
// gradients of log_prob with respect to each parameter.

/** The issue-12 fixture: distribution and KL cases, and the regression inputs of its defects. */
export interface ContinuousReference extends Pick<TorchReference, 'distributions' | 'kl'> {
  source: string;
  regressions: Record<string, Record<string, ReferenceArray>>;
}

/** The torch.distributions (float64) values for the continuous families of issue 12. */
export function continuousReference(): ContinuousReference {
  return continuousFixture as unknown as ContinuousReference;
}

/**
 * {@link checkReferenceCase} plus, where the case has them, `icdf` at its `p`, `mode`, and the
 * gradient of sum(logProb(x)) with respect to every parameter (`grad_log_prob`, by autodiff
 * against torch's). Returns every field it checked.
 */
export async function checkContinuousCase(
  c: DistributionCase,
  make: Factory,
  options: ReferenceOptions & { gradient?: Tolerance } = {},
): Promise<string[]> {
  const checked: string[] = await checkReferenceCase(c, make, options);
  await expectNoLeaks(() => {
    const params = paramTensors(c.params);
    const d = make(params);
    const extra: [string, () => tf.Tensor, ReferenceArray | undefined][] = [
      [
        'icdf',
        () => tf.tidy(() => d.icdf(referenceTensor(c.p as ReferenceArray))),
        c.icdf as ReferenceArray | undefined,
      ],
      ['mode', () => d.mode(), c.mode as ReferenceArray | undefined],
    ];
    for (const [field, compute, expected] of extra) {
      if (expected === undefined) continue;
      const actual = compute();
      try {
        expectClose(actual, flatNumbers(expected), { ...options.tolerance });
      } catch (error) {
        throw new Error(`${c.type}.${field}: ${(error as Error).message}`);
      } finally {
        actual.dispose();
      }
      checked.push(field);
    }
    d.dispose();
    const grads = c.grad_log_prob as Record<string, ReferenceArray> | undefined;
    if (grads !== undefined)
      checked.push(...checkLogProbGradients(c, make, { params, grads, options }));
    tf.dispose(Object.values(params));
  });
  return checked;
}

function checkLogProbGradients(
  c: DistributionCase,
  make: Factory,
  context: {
    params: Record<string, tf.Tensor>;
    grads: Record<string, ReferenceArray>;
    options: { gradient?: Tolerance };
  },
): string[] {
  const { params, grads, options } = context;
  const x = referenceTensor(c.x as ReferenceArray);
  const names = Object.keys(grads);
  for (const name of names) {
    const f = (value: tf.Tensor) =>
      tf.tidy(() => {
        const d = make({ ...params, [name]: value });
        const total = tf.sum(d.logProb(x)) as tf.Scalar;
        d.dispose();
        return total;
      });
    const gradient = tf.grad(f)(params[name]!);
    try {
      expectClose(gradient, flatNumbers(grads[name]!), {
        rtol: 1e-3,
        atol: 1e-4,
        ...options.gradient,
      });
    } catch (error) {
      throw new Error(`${c.type} d logProb / d ${name}: ${(error as Error).message}`);
    } finally {
      gradient.dispose();
    }
  }
  x.dispose();
  return names.map((name) => `grad ${name}`);
}

// ---- Reference values of the discrete and multivariate families (issue 12, part B) ----
// test/fixtures/torch-discrete.json, written by test/fixtures/generate-discrete.py, has the
// format of torchReference() plus gradients (`grad_log_prob`, `grad_rsample`) and `mode`.

/** A case of torch-discrete.json: a DistributionCase with gradients and mode. */
export interface DiscreteReferenceCase extends DistributionCase {
  mode?: ReferenceArray;
  /** d sum(log_prob(x)) / d param, by parameter name. */
  grad_log_prob?: Record<string, ReferenceArray>;
  /** d sum(weights * rsample([2])) / d param, by parameter name (draw-independent cases). */
  grad_rsample?: Record<string, ReferenceArray>;
  weights?: ReferenceArray;
}

const discreteFixture = discreteReferenceFile as unknown as {
  distributions: DiscreteReferenceCase[];
  kl: KlCase[];
};

/** The torch-discrete.json case of `type`; throws if absent. */
export function discreteCase(type: string): DiscreteReferenceCase {
  const found = discreteFixture.distributions.find((c) => c.type === type);
  if (found === undefined) throw new Error(`no discrete reference case for ${type}`);
  return found;
}

/** The torch-discrete.json KL case for (pType, qType); throws if absent. */
export function discreteKlCase(pType: string, qType: string): KlCase {
  const found = discreteFixture.kl.find((c) => c.p.type === pType && c.q.type === qType);
  if (found === undefined)
    throw new Error(`no discrete reference KL case for ${pType} || ${qType}`);
  return found;
}

/** Checks `mode` of `c` (when present) and returns whether it did. */
export async function checkReferenceMode(
  c: DiscreteReferenceCase,
  make: Factory,
  tolerance: Tolerance = {},
): Promise<boolean> {
  if (c.mode === undefined) return false;
  const expected = flatNumbers(c.mode);
  await expectNoLeaks(() => {
    const params = paramTensors(c.params);
    const d = make(params);
    const mode = d.mode();
    expectClose(mode, expected, tolerance);
    tf.dispose([mode, ...Object.values(params)]);
    d.dispose();
  });
  return true;
}

/**
 * Checks d sum(logProb(x)) / d param against torch for every parameter in `grad_log_prob`
 * (autodiff through the family, float32 tolerance `tolerance`); returns the names checked.
 */
export async function checkReferenceGradients(
  c: DiscreteReferenceCase,
  make: Factory,
  tolerance: Tolerance = { rtol: 1e-3, atol: 1e-4 },
): Promise<string[]> {
  const names = Object.keys(c.grad_log_prob ?? {});
  await expectNoLeaks(() => {
    const params = paramTensors(c.params);
    const x = referenceTensor(c.x!);
    for (const name of names) {
      const f = (value: tf.Tensor): tf.Scalar =>
        tf.tidy(() => {
          const d = make({ ...params, [name]: value });
          const total = tf.sum(d.logProb(x)) as tf.Scalar;
          d.dispose();
          return total;
        });
      const gradient = tf.grad(f)(params[name]!);
      try {
        expectClose(gradient, flatNumbers(c.grad_log_prob![name]!), tolerance);
      } catch (error) {
        throw new Error(`${c.type} d logProb / d ${name}: ${(error as Error).message}`);
      } finally {
        gradient.dispose();
      }
    }
    tf.dispose([x, ...Object.values(params)]);
  });
  return names;
}
