import * as tf from '@tensorflow/tfjs-core';
import { backendTolerance, expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  DiagonalNormal,
  GaussianEncoder,
  HierarchicalDistribution,
  HierarchicalEncoder,
  HierarchicalPrior,
  hierarchicalVAE,
  Linear,
  loadVAE,
  modelToArtifacts,
  Narrow,
  StandardNormalPrior,
  VaeError,
  VampPrior,
} from '../src/index.js';

const LOG_2PI = Math.log(2 * Math.PI);
const normalLogDensity = (x: number, mean: number, variance: number) =>
  -0.5 * (LOG_2PI + Math.log(variance) + (x - mean) ** 2 / variance);

/**
 * a ~ N(loc, 1) over [batch, 1], b | a ~ N(2 a + 1, 0.25): z = [a, b] ('first')
 * or [b, a] ('last').
 */
function linearChain(
  loc: tf.Tensor,
  rootPosition: 'first' | 'last' = 'first',
): HierarchicalDistribution {
  return new HierarchicalDistribution({
    root: new DiagonalNormal(tf.clone(loc), tf.zerosLike(loc)),
    conditional: (a) =>
      new DiagonalNormal(tf.add(tf.mul(a, 2), 1), tf.fill(a.shape, Math.log(0.25))),
    conditionalDim: 1,
    rootPosition,
  });
}

describe('HierarchicalDistribution', () => {
  it('has the joint shapes and the closed-form log density in either order', async () => {
    const loc = tf.tensor2d([[0.5], [-1]]);
    const values = [
      [0.3, 1.2],
      [-0.4, -2],
    ];
    for (const position of ['first', 'last'] as const) {
      const d = linearChain(loc, position);
      expect(d.batchShape).toEqual([2]);
      expect(d.eventShape).toEqual([2]);
      const logDensity = await expectNoLeaks(() =>
        tf.tidy(() => d.logProb(tf.tensor2d(values)).arraySync()),
      );
      const expected = values.map(([first, second], i) => {
        const [a, b] = position === 'first' ? [first!, second!] : [second!, first!];
        const rootLoc = i === 0 ? 0.5 : -1;
        return normalLogDensity(a, rootLoc, 1) + normalLogDensity(b, 2 * a + 1, 0.25);
      });
      expectClose(tf.tensor1d(logDensity as number[]), expected, { rtol: 1e-5, atol: 1e-5 });
      const z = d.rsample([3, 4], 0);
      expect(z.shape).toEqual([3, 4, 2, 2]);
      const logZ = d.logProb(z);
      expect(logZ.shape).toEqual([3, 4, 2]);
      tf.dispose([z, logZ]);
      d.dispose();
    }
    loc.dispose();
  });

  it('reuses the conditional term of its own draw and recomputes it for other values', () => {
    tf.tidy(() => {
      const d = linearChain(tf.tensor2d([[0.5], [-1], [2]]));
      const z = d.rsample([5], 3);
      const cached = d.logProb(z);
      const recomputed = d.logProb(tf.add(z, 0)); // new data: no cache
      expectClose(cached, recomputed, { rtol: 1e-6, atol: 1e-6 });
      const single = d.rsample([], 4);
      // expandDims shares the data of the draw: the cache is reshaped to [1, 3].
      expectClose(
        d.logProb(tf.expandDims(single, 0)),
        tf.expandDims(d.logProb(tf.add(single, 0)), 0),
      );
      d.dispose();
    });
  });

  it('samples ancestrally: the moments of the joint (20000 draws)', () => {
    tf.tidy(() => {
      const d = linearChain(tf.zeros([1, 1]));
      const z = tf.reshape(d.sample([20000], 7), [20000, 2]);
      const [a, b] = tf.split(z, 2, 1) as [tf.Tensor, tf.Tensor];
      const mean = tf.mean(z, 0).arraySync() as number[];
      const variance = tf.moments(z, 0).variance.arraySync() as number[];
      const covariance = tf.mean(tf.mul(tf.sub(a, mean[0]!), tf.sub(b, mean[1]!))).arraySync();
      // E a = 0, E b = 1, Var a = 1, Var b = 4 + 0.25, Cov = 2; standard errors <= 0.05.
      expectClose(tf.tensor1d(mean), [0, 1], { rtol: 0, atol: 0.05 });
      expectClose(tf.tensor1d(variance), [1, 4.25], { rtol: 0.05, atol: 0 });
      expect(Math.abs((covariance as number) - 2)).toBeLessThan(0.1);
      d.dispose();
    });
  });

  it('is seeded: the same seed (0 included) gives the same draw, another seed another', () => {
    tf.tidy(() => {
      const d = linearChain(tf.zeros([2, 1]));
      expectClose(d.rsample([3], 0), d.rsample([3], 0), { rtol: 0, atol: 0 });
      expectClose(d.sample([3], 0), d.rsample([3], 0), { rtol: 0, atol: 0 });
      const differ = tf.any(tf.notEqual(d.sample([3], 0), d.sample([3], 1))).arraySync();
      expect(differ).toBe(1);
      d.dispose();
    });
  });

  it('rsample is reparameterized through both levels: d sum(z) / d loc = 1 + 2', () => {
    const loc = tf.tensor2d([[0.5], [-1]]);
    const locVariable = tf.variable(loc);
    const f = (l: tf.Tensor) =>
      tf.tidy(() => {
        const d = linearChain(l);
        const total = tf.sum(d.rsample([4], 5));
        d.dispose();
        return total as tf.Scalar;
      });
    const { value, grads } = tf.variableGrads(() => f(locVariable), [locVariable]);
    const numeric = numericGradient(f, loc);
    expectClose(grads[locVariable.name]!, [12, 12], { rtol: 1e-5, atol: 1e-4 });
    expectClose(tf.tensor1d(numeric), [12, 12], backendTolerance({ rtol: 1e-2 }));
    tf.dispose([value, loc, locVariable, ...Object.values(grads)]);
  });

  it('has the plug-in mean [E a, E[b | E a]] and rejects values of the wrong size', () => {
    tf.tidy(() => {
      const d = linearChain(tf.tensor2d([[0.5], [-1]]));
      expectClose(d.mean(), [0.5, 2, -1, -1]);
      expect(() => d.logProb(tf.zeros([2, 3]))).toThrow(/must be \[\.\.\., 2\]/);
      d.dispose();
    });
  });
});

/** A tiny two-level VAE: x [6], z1 [3], z2 [2]. */
const tiny = (
  prior: 'standard-normal' | { kind: 'vamp'; components: number } = 'standard-normal',
) => hierarchicalVAE({ inputShape: [6], hidden: [[5], [4]], latentDims: [3, 2], seed: 1, prior });

describe('hierarchicalVAE', () => {
  it("has Burda et al.'s architecture by default", () => {
    const model = hierarchicalVAE({ seed: 0 });
    expect(model.latentDim).toBe(150);
    expect(model.encoder).toBeInstanceOf(HierarchicalEncoder);
    expect(model.prior).toBeInstanceOf(HierarchicalPrior);
    const shapes = Object.fromEntries(model.namedParameters().map(([n, v]) => [n, v.shape]));
    expect(shapes['encoder.bottom.body.0.weight']).toEqual([784, 200]);
    expect(shapes['encoder.bottom.body.2.weight']).toEqual([200, 200]);
    expect(shapes['encoder.bottom.loc.weight']).toEqual([200, 100]);
    expect(shapes['encoder.top.body.0.weight']).toEqual([100, 100]);
    expect(shapes['encoder.top.loc.weight']).toEqual([100, 50]);
    expect(shapes['prior.conditional.body.0.weight']).toEqual([50, 100]);
    expect(shapes['prior.conditional.loc.weight']).toEqual([100, 100]);
    expect(shapes['decoder.body.1.weight']).toEqual([100, 200]);
    expect(shapes['decoder.body.5.weight']).toEqual([200, 784]);
    model.dispose();
  });

  it('encodes to the joint [z1, z2], decodes from z1 alone, samples ancestrally', async () => {
    const model = tiny();
    await expectNoLeaks(() =>
      tf.tidy(() => {
        const x = tf.randomUniform([4, 6], 0, 1, 'float32', 1);
        const q = model.encode(x);
        expect(q.batchShape).toEqual([4]);
        expect(q.eventShape).toEqual([5]);
        const z = q.rsample([], 2);
        const logq = q.logProb(z);
        expect(logq.shape).toEqual([4]);
        q.dispose();
        // p(x | z) ignores z2: changing the last two coordinates changes nothing.
        const moved = tf.concat([tf.slice(z, [0, 0], [4, 3]), tf.fill([4, 2], 9)], 1);
        expectClose(model.decoder.mean(z), model.decoder.mean(moved), { rtol: 0, atol: 0 });
        const prior = model.priorDistribution();
        expect(prior.batchShape).toEqual([]);
        expect(prior.eventShape).toEqual([5]);
        expect(prior.logProb(z).shape).toEqual([4]);
        prior.dispose();
        expect(model.sample(3, { seed: 0 }).shape).toEqual([3, 6]);
        expect(model.reconstruct(x).shape).toEqual([4, 6]);
      }),
    );
    model.dispose();
  });

  it('takes a VampPrior over z2, whose pseudo-inputs learn through both encoder levels', () => {
    const model = tiny({ kind: 'vamp', components: 3 });
    const prior = model.prior as HierarchicalPrior;
    expect(prior.top).toBeInstanceOf(VampPrior);
    const pseudoInputs = (prior.top as VampPrior).pseudoInputs;
    const { value, grads } = tf.variableGrads(
      () =>
        tf.tidy(() => {
          const p = model.priorDistribution();
          const logDensity = tf.sum(p.logProb(tf.randomNormal([4, 5], 0, 1, 'float32', 3)));
          p.dispose();
          return logDensity as tf.Scalar;
        }),
      [pseudoInputs],
    );
    const norm = tf.norm(grads[pseudoInputs.name]!).arraySync() as number;
    expect(Number.isFinite(value.arraySync())).toBe(true);
    expect(norm).toBeGreaterThan(0);
    tf.dispose([value, ...Object.values(grads)]);
    model.dispose();
  });

  it('saves and loads to the same numbers (weights, log densities, samples)', async () => {
    for (const prior of ['standard-normal', { kind: 'vamp', components: 2 }] as const) {
      const model = tiny(prior);
      const loaded = await loadVAE(await modelToArtifacts(model));
      expect(loaded.encoder).toBeInstanceOf(HierarchicalEncoder);
      tf.tidy(() => {
        const x = tf.randomUniform([3, 6], 0, 1, 'float32', 4);
        const numbers = (m: typeof model) => {
          const q = m.encode(x);
          const z = q.rsample([2], 5);
          const p = m.priorDistribution();
          const out = [q.logProb(z), p.logProb(z), m.sample(2, { seed: 6 })];
          q.dispose();
          p.dispose();
          return out;
        };
        const [a, b] = [numbers(model), numbers(loaded)];
        for (const [i, t] of a.entries()) expectClose(t, b[i]!, { rtol: 0, atol: 0 });
      });
      model.dispose();
      loaded.dispose();
    }
  });

  it('validates its parts', () => {
    expect(() => hierarchicalVAE({ latentDims: [0, 2] })).toThrow(VaeError);
    expect(() => new Narrow({ start: -1, length: 2 })).toThrow(/Narrow: `start`/);
    const top = new StandardNormalPrior({ latentDim: 2 });
    const conditional = new GaussianEncoder({
      body: new Linear({ inFeatures: 2, outFeatures: 3, seed: 1 }),
      features: 3,
      latentDim: 4,
      seed: 2,
    });
    const prior = new HierarchicalPrior({ top, conditional });
    expect(prior.latentDim).toBe(6);
    const encoder = new HierarchicalEncoder({
      bottom: new GaussianEncoder({
        body: new Linear({ inFeatures: 5, outFeatures: 3, seed: 3 }),
        features: 3,
        latentDim: 3,
        seed: 4,
      }),
      top: new GaussianEncoder({
        body: new Linear({ inFeatures: 3, outFeatures: 3, seed: 5 }),
        features: 3,
        latentDim: 3,
        seed: 6,
      }),
    });
    expect(() => prior.bindEncoder(encoder)).toThrow(
      /levels \[3, 3\] differ from the prior's \[4, 2\]/,
    );
    prior.dispose();
    encoder.dispose();
  });
});
