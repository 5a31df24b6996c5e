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
import type { Distribution } from '../../src/distribution.js';
import { klDivergence } from '../../src/kl-registry.js';
import continuousFixture from '../fixtures/torch-continuous.json' with { type: 'json' };

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
      return d.mean;
    case 'variance':
      return d.variance;
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
      ['mode', () => d.mode, c.mode as ReferenceArray | undefined],
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
