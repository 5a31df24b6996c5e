// The continuous families of issue 12 (torch.distributions 1.13's that we lacked), table-driven:
// every value against torch in float64 (log_prob, moments, entropy, cdf/icdf, gradients of
// log_prob), entropy against -mean(logProb(samples)), sample moments, rsample gradients against
// finite differences, and parameter validation that names the argument.
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  Cauchy,
  Chi2,
  type Distribution,
  FisherSnedecor,
  HalfCauchy,
  HalfNormal,
  Kumaraswamy,
  Pareto,
  StudentT,
  VonMises,
  Weibull,
} from '../src/index.js';
import { expectVaeError } from './helpers/errors.js';
import {
  checkEntropyMonteCarlo,
  checkRsampleGradient,
  checkSampleMoments,
} from './helpers/properties.js';
import { checkContinuousCase, continuousReference, referenceCase } from './helpers/reference.js';

type Params = Record<string, tf.Tensor | number | number[]>;

interface Family {
  name: string;
  make: (p: Params) => Distribution;
  /** Fields the torch case must cover. */
  fields: string[];
  /** Parameters for the Monte Carlo checks (moments only where the 4th moment is finite). */
  monteCarlo: Params;
  moments: boolean;
  /**
   * Parameters differentiated through rsample by finite differences (same seed); families whose
   * rsample goes through Gamma draws check E[d x / d param] instead (`expectedGradient`).
   */
  rsample?: Record<string, number[]>;
  /** For Gamma-based samplers: per-sample gradients of rsample average to d E[x] / d param. */
  expectedGradient?: { params: Params; name: string; at: number; derivative: number };
  /** Parameters held fixed in the rsample check. */
  rsampleFixed?: Params;
  /** Parameters left out of the logProb finite differences (with the reason). */
  noFiniteDifference?: string[];
  /** A bad parameter and the message it must give. */
  bad: [Params, RegExp];
}

const grads = (...names: string[]) => names.map((name) => `grad ${name}`);

const families: Family[] = [
  {
    name: 'StudentT',
    make: (p) => new StudentT({ df: p.df!, loc: p.loc!, scale: p.scale! }),
    fields: ['log_prob', 'mean', 'variance', 'entropy', 'mode', ...grads('df', 'loc', 'scale')],
    monteCarlo: { df: [6, 12], loc: [0.5, -1], scale: [1, 2] },
    moments: true,
    rsample: { loc: [0.3, -1], scale: [0.7, 2] },
    rsampleFixed: { df: [4, 9] },
    bad: [
      { df: [1, -2], loc: 0, scale: 1 },
      /^StudentT: `df` must be positive and finite, got .*min -2/,
    ],
  },
  {
    name: 'Cauchy',
    make: (p) => new Cauchy({ loc: p.loc!, scale: p.scale! }),
    fields: ['log_prob', 'entropy', 'cdf', 'mode', 'icdf', ...grads('loc', 'scale')],
    monteCarlo: { loc: [0.5, -1], scale: [1, 2] },
    moments: false,
    rsample: { loc: [0.3, -1], scale: [0.7, 2] },
    bad: [{ loc: [Number.NaN], scale: 1 }, /^Cauchy: `loc` must be finite/],
  },
  {
    name: 'HalfCauchy',
    make: (p) => new HalfCauchy({ scale: p.scale! }),
    fields: ['log_prob', 'entropy', 'cdf', 'mode', 'icdf', ...grads('scale')],
    monteCarlo: { scale: [1, 2.5] },
    moments: false,
    rsample: { scale: [0.7, 2] },
    bad: [{ scale: 0 }, /^HalfCauchy: `scale` must be positive and finite, got .*max 0/],
  },
  {
    name: 'HalfNormal',
    make: (p) => new HalfNormal({ scale: p.scale! }),
    fields: ['log_prob', 'mean', 'variance', 'entropy', 'cdf', 'mode', 'icdf', ...grads('scale')],
    monteCarlo: { scale: [0.5, 3] },
    moments: true,
    rsample: { scale: [0.7, 2] },
    bad: [{ scale: [1, -1] }, /^HalfNormal: `scale` must be positive/],
  },
  {
    name: 'Chi2',
    make: (p) => new Chi2({ df: p.df! }),
    fields: ['log_prob', 'mean', 'variance', 'entropy', 'mode', ...grads('df')],
    monteCarlo: { df: [0.7, 3, 12] },
    moments: true,
    expectedGradient: { params: {}, name: 'df', at: 3, derivative: 1 }, // E[x] = df
    bad: [{ df: -1 }, /^Chi2: `df` must be positive and finite, got .*min -1/],
  },
  {
    name: 'FisherSnedecor',
    make: (p) => new FisherSnedecor({ df1: p.df1!, df2: p.df2! }),
    fields: ['log_prob', 'mean', 'variance', 'entropy', 'mode', ...grads('df1', 'df2')],
    monteCarlo: { df1: [3, 10], df2: [12, 20] },
    moments: true,
    // E[x] = df2 / (df2 - 2): d/d df2 = -2 / (df2 - 2)^2 = -0.02 at df2 = 12.
    expectedGradient: { params: { df1: 5 }, name: 'df2', at: 12, derivative: -0.02 },
    bad: [{ df1: 1, df2: [Number.POSITIVE_INFINITY] }, /^FisherSnedecor: `df2` must be positive/],
  },
  {
    name: 'Weibull',
    make: (p) => new Weibull({ scale: p.scale!, concentration: p.concentration! }),
    fields: [
      'log_prob',
      'mean',
      'variance',
      'entropy',
      'cdf',
      'icdf',
      ...grads('scale', 'concentration'),
    ],
    monteCarlo: { scale: [1, 3], concentration: [0.8, 4] },
    moments: true,
    rsample: { scale: [0.7, 2], concentration: [0.9, 3] },
    bad: [{ scale: 1, concentration: -0.5 }, /^Weibull: `concentration` must be positive/],
  },
  {
    name: 'Pareto',
    make: (p) => new Pareto({ scale: p.scale!, alpha: p.alpha! }),
    fields: [
      'log_prob',
      'mean',
      'variance',
      'entropy',
      'cdf',
      'mode',
      'icdf',
      ...grads('scale', 'alpha'),
    ],
    monteCarlo: { scale: [1, 0.5], alpha: [5, 9] },
    moments: true,
    rsample: { scale: [0.7, 2], alpha: [1.5, 4] },
    // A step in `scale` moves the support past x = scale (its gradient is checked against torch).
    noFiniteDifference: ['scale'],
    bad: [{ scale: [1, 2], alpha: [3, 0] }, /^Pareto: `alpha` must be positive/],
  },
  {
    name: 'Kumaraswamy',
    make: (p) =>
      new Kumaraswamy({ concentration1: p.concentration1!, concentration0: p.concentration0! }),
    fields: [
      'log_prob',
      'mean',
      'variance',
      'entropy',
      'cdf',
      'icdf',
      'mode',
      ...grads('concentration1', 'concentration0'),
    ],
    monteCarlo: { concentration1: [0.5, 3], concentration0: [2, 0.8] },
    moments: true,
    rsample: { concentration1: [0.8, 3], concentration0: [2, 1.5] },
    bad: [
      { concentration1: 1, concentration0: -3 },
      /^Kumaraswamy: `concentration0` must be positive/,
    ],
  },
  {
    name: 'VonMises',
    make: (p) => new VonMises({ loc: p.loc!, concentration: p.concentration! }),
    fields: ['log_prob', 'mean', 'variance', 'entropy', 'mode', ...grads('loc', 'concentration')],
    monteCarlo: { loc: [0.5, -3], concentration: [0.3, 20] },
    moments: false,
    bad: [{ loc: 0, concentration: [-1] }, /^VonMises: `concentration` must be positive/],
  },
];

const reference = continuousReference();

/**
 * With the parameter `name` repeated n = 20000 times as a batch, the per-element gradients of
 * sum(rsample) are n independent draws of d x / d param, whose mean must be d E[x] / d param
 * within 5 standard errors.
 */
function checkExpectedGradient(
  family: Family,
  { params, name, at, derivative }: NonNullable<Family['expectedGradient']>,
): void {
  const n = 20000;
  const param = tf.fill([n], at);
  const gradient = tf.grad((x: tf.Tensor) =>
    tf.sum(family.make({ ...params, [name]: x }).rsample([], 31)),
  )(param);
  const g = Array.from(gradient.dataSync());
  const mean = g.reduce((a, b) => a + b, 0) / n;
  const variance = g.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  expect(g.every(Number.isFinite)).toBe(true);
  expect(Math.abs(mean - derivative)).toBeLessThan(5 * Math.sqrt(variance / n) + 1e-4);
  tf.dispose([param, gradient]);
}

describe.each(families)('$name', (family) => {
  it('matches torch.distributions (float64): values, cdf/icdf and logProb gradients', async () => {
    const c = referenceCase(family.name, reference);
    const fields = await checkContinuousCase(c, (p) => family.make(p), {
      // Entropies with digamma/lgamma near their roots carry ~1e-6 absolute error.
      tolerance: { rtol: 2e-4, atol: 1e-5 },
      gradient: { rtol: 2e-3, atol: 2e-4 },
    });
    expect(new Set(fields)).toEqual(new Set(family.fields));
  });

  it('has entropy = -mean(logProb(samples)) and sample moments (20000 seeded draws, 5 standard errors)', async () => {
    await expectNoLeaks(() => {
      const d = family.make(family.monteCarlo);
      checkEntropyMonteCarlo(d, { seed: 21 });
      if (family.moments) checkSampleMoments(d, { seed: 22 });
      d.dispose();
    });
  });

  it('rsample gradients agree with finite differences (or has no rsample)', () => {
    if (family.expectedGradient !== undefined) {
      checkExpectedGradient(family, family.expectedGradient);
      return;
    }
    if (family.rsample === undefined) {
      const d = family.make(family.monteCarlo);
      expect(d.hasRsample).toBe(false);
      expectVaeError(
        () => d.rsample([2], 1),
        /rsample: the family has no reparameterized/,
        'NOT_REPARAMETERIZABLE',
      );
      d.dispose();
      return;
    }
    const entries = Object.entries(family.rsample);
    for (const [name, value] of entries) {
      const param = tf.tensor(value);
      const others = {
        ...family.rsampleFixed,
        ...Object.fromEntries(entries.filter(([other]) => other !== name)),
      };
      checkRsampleGradient((x) => family.make({ ...others, [name]: x }), param, { step: 1e-3 });
      param.dispose();
    }
  });

  it('logProb gradients agree with finite differences', () => {
    const c = referenceCase(family.name, reference);
    const x = tf.tensor(c.x as number[][]);
    const params = Object.fromEntries(
      Object.entries(c.params).map(([name, value]) => [name, tf.tensor(value as number[])]),
    );
    const skipped = family.noFiniteDifference ?? [];
    for (const name of Object.keys(params).filter((key) => !skipped.includes(key))) {
      const f = (value: tf.Tensor) =>
        tf.tidy(() => tf.sum(family.make({ ...params, [name]: value }).logProb(x)) as tf.Scalar);
      const analytic = tf.grad(f)(params[name]!);
      expectClose(analytic, numericGradient(f, params[name]!, 1e-3), { rtol: 2e-2, atol: 2e-2 });
      analytic.dispose();
    }
    tf.dispose([x, ...Object.values(params)]);
  });

  it('rejects bad parameters and values, naming the family and the argument, and leaks nothing', async () => {
    await expectNoLeaks(() => {
      const [params, pattern] = family.bad;
      expectVaeError(() => family.make(params), pattern);
      // Values outside the support are rejected under the family's own name (Chi2, not Gamma).
      const d = family.make(family.monteCarlo);
      expectVaeError(
        () => d.logProb([Number.NaN]),
        new RegExp(`^${family.name}\\.logProb: \`value\``),
      );
      d.dispose();
    });
  });
});
