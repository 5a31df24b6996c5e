import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it, vi } from 'vitest';
import {
  DiagonalNormal,
  FlowDistribution,
  type FlowKind,
  FlowModel,
  type FlowStack,
  flowStack,
  StandardNormal,
  VaeError,
} from '../src/index.js';
import { perturb } from './flow-helpers.js';

const KINDS: FlowKind[] = ['maf', 'iaf', 'realnvp', 'planar', 'radial'];

function model(kind: FlowKind, seed: number): FlowModel {
  const flow = flowStack({ kind, features: 2, layers: 3, hidden: [16], activation: 'tanh', seed });
  perturb(flow, seed + 1, 0.3);
  return new FlowModel({ flow });
}

/** A grid of spacing `step` on [-half, half]^2: points [n*n, 2] and the cell area. */
function grid(half: number, step: number): { points: tf.Tensor2D; area: number } {
  const n = Math.round((2 * half) / step) + 1;
  const axis = tf.linspace(-half, half, n);
  const [gx, gy] = tf.meshgrid(axis, axis) as [tf.Tensor, tf.Tensor];
  const points = tf.stack([tf.reshape(gx, [-1]), tf.reshape(gy, [-1])], 1) as tf.Tensor2D;
  return { points, area: step * step };
}

describe.each(KINDS)('a FlowModel of %s layers', (kind) => {
  it('has a density that integrates to 1 on a 2-D grid, and samples with its mean', () => {
    const flowModel = model(kind, 3);
    tf.tidy(() => {
      const { points, area } = grid(9, 0.06);
      const density = tf.exp(flowModel.logProb(points));
      const mass = tf.sum(density).dataSync()[0]! * area;
      expect(Math.abs(mass - 1), `mass ${mass}`).toBeLessThan(5e-3);
      // The mean by quadrature against the mean of 20,000 draws (forward direction): within
      // 4 standard errors.
      const mean = tf.div(tf.sum(tf.mul(points, tf.expandDims(density, 1)), 0), mass / area);
      const draws = flowModel.sample(20_000, { seed: 5 });
      const { mean: sampleMean, variance } = tf.moments(draws, 0);
      const stderr = tf.sqrt(tf.div(variance, 20_000)).dataSync();
      const [m, s] = [mean.dataSync(), sampleMean.dataSync()];
      for (let i = 0; i < 2; i++) expect(Math.abs(m[i]! - s[i]!)).toBeLessThan(4 * stderr[i]!);
    });
    flowModel.dispose();
  });

  it('draws the same samples for the same seed (0 included) and others for another', () => {
    const flowModel = model(kind, 7);
    const draw = (seed: number) => {
      const s = flowModel.sample(4, { seed });
      const values = Array.from(s.dataSync());
      s.dispose();
      return values;
    };
    expect(draw(0)).toEqual(draw(0));
    expect(draw(0)).not.toEqual(draw(1));
    expect(() => flowModel.sample(0)).toThrow(/`n` must be a positive integer/);
    flowModel.dispose();
  });
});

describe('FlowModel', () => {
  it('learns by maximum likelihood, without leaking', async () => {
    // A correlated, shifted Gaussian: the NLL of the identity start is far above the optimum.
    const data = tf.tidy(() => {
      const e = tf.randomNormal([512, 2], 0, 1, 'float32', 1);
      return tf.add(
        tf.matMul(
          e,
          tf.tensor2d([
            [1, 0.9],
            [0, 0.3],
          ]),
        ),
        tf.tensor1d([2, -1]),
      );
    });
    const flowModel = new FlowModel({
      flow: flowStack({ kind: 'maf', features: 2, layers: 2, hidden: [16], seed: 2 }),
    });
    const optimizer = tf.train.adam(0.02);
    const step = () =>
      optimizer.minimize(
        () => flowModel.negativeLogLikelihood(data),
        true,
        flowModel.trainableVariables,
      );
    const before = tf.tidy(() => flowModel.negativeLogLikelihood(data).dataSync()[0]!);
    step()?.dispose(); // creates the optimizer's slots
    await expectNoLeaks(() => step());
    for (let i = 0; i < 200; i++) step()?.dispose();
    const after = tf.tidy(() => flowModel.negativeLogLikelihood(data).dataSync()[0]!);
    // The true entropy of the data: 1/2 log det(2 pi e Sigma), det Sigma = 0.09.
    const entropy = Math.log(2 * Math.PI * Math.E) + 0.5 * Math.log(0.09);
    expect(before).toBeGreaterThan(entropy + 1);
    expect(after).toBeLessThan(entropy + 0.1);
    optimizer.dispose();
    data.dispose();
    flowModel.dispose();
  });

  it('is a FlowDistribution too, with the same log-density', () => {
    const flowModel = model('realnvp', 9);
    tf.tidy(() => {
      const x = tf.randomNormal([6, 2], 0, 1, 'float32', 10);
      const p = flowModel.distribution();
      expect(p.batchShape).toEqual([]);
      expect(p.eventShape).toEqual([2]);
      expectClose(p.logProb(x), flowModel.logProb(x));
      p.dispose();
    });
    flowModel.dispose();
  });
});

describe('FlowDistribution', () => {
  function conditional(): { flow: FlowStack; h: tf.Tensor; base: DiagonalNormal } {
    const flow = flowStack({
      kind: 'iaf',
      features: 3,
      layers: 2,
      hidden: [8],
      contextFeatures: 4,
      seed: 1,
    });
    perturb(flow, 2);
    const h = tf.randomNormal([5, 4], 0, 1, 'float32', 3);
    const base = new DiagonalNormal(
      tf.randomNormal([5, 3], 0, 1, 'float32', 4),
      tf.fill([5, 3], -1),
    );
    return { flow, h, base };
  }

  it('answers logProb of its own rsample without inverting, and agrees with the inverse', () => {
    const { flow, h, base } = conditional();
    const q = new FlowDistribution(base, flow, { context: h });
    expect(q.batchShape).toEqual([5]);
    expect(q.eventShape).toEqual([3]);
    const inverse = vi.spyOn(flow, 'inverseAndLogDet');
    tf.tidy(() => {
      const z = q.rsample([2], 0);
      expect(z.shape).toEqual([2, 5, 3]);
      const remembered = q.logProb(z);
      expect(inverse).not.toHaveBeenCalled();
      const inverted = q.logProb(tf.add(z, 0)); // another tensor: inverted
      expect(inverse).toHaveBeenCalledTimes(1);
      expectClose(remembered, inverted, { atol: 1e-4, rtol: 1e-4 });
    });
    inverse.mockRestore();
    q.dispose();
    base.dispose();
    tf.dispose(h);
    flow.dispose();
  });

  it('has the pathwise gradient of log q(z) either way', () => {
    const { flow, h, base } = conditional();
    const variables = flow.trainableVariables;
    const gradient = (invert: boolean) =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          const q = new FlowDistribution(base, flow, { context: h });
          const z = q.rsample([], 5);
          const logq = tf.mean(q.logProb(invert ? tf.add(z, 0) : z)) as tf.Scalar;
          q.dispose();
          return logq;
        }, variables);
        return variables.map((v) => Array.from(grads[v.name]!.dataSync()));
      });
    const [remembered, inverted] = [gradient(false), gradient(true)];
    for (const [i, values] of remembered.entries()) {
      expectClose(values, inverted[i]!, { atol: 1e-4, rtol: 1e-3 });
    }
    base.dispose();
    tf.dispose(h);
    flow.dispose();
  });

  it('adds the context batch as independent leading axes, and leaks nothing', async () => {
    const flow = flowStack({
      kind: 'iaf',
      features: 2,
      layers: 1,
      hidden: [8],
      contextFeatures: 3,
      seed: 6,
    });
    const base = new StandardNormal(2);
    const h = tf.randomNormal([4, 3], 0, 1, 'float32', 7);
    // The remembered log-density of the last rsample is the distribution's until dispose().
    await expectNoLeaks(() => {
      const p = new FlowDistribution(base, flow, { context: h });
      const z = p.rsample([3], 8);
      const out = [z, p.logProb(z), p.sample([2], 9), p.rsample([], 10)];
      p.dispose();
      return out;
    });
    const q = new FlowDistribution(base, flow, { context: h });
    expect(q.batchShape).toEqual([4]);
    const z = q.sample([], 10);
    const rows = tf.unstack(z).map((row) => Array.from(row.dataSync()));
    expect(new Set(rows.map(String)).size).toBe(4);
    tf.dispose([z, h]);
    q.dispose();
    base.dispose();
    flow.dispose();
  });

  it('checks the base, the flow and the context', () => {
    const flow = flowStack({ kind: 'maf', features: 2, layers: 1, hidden: [4], seed: 1 });
    const iaf = flowStack({
      kind: 'iaf',
      features: 2,
      layers: 1,
      hidden: [4],
      contextFeatures: 3,
      seed: 1,
    });
    const expectInvalid = (run: () => unknown, message: RegExp) => {
      try {
        run();
      } catch (error) {
        expect(VaeError.isInstance(error) && error.code).toBe('INVALID_ARGUMENT');
        expect((error as Error).message).toMatch(message);
        return;
      }
      expect.fail('expected INVALID_ARGUMENT');
    };
    const three = new StandardNormal(3);
    const two = new StandardNormal(2);
    expectInvalid(() => new FlowDistribution(three, flow), /event shape must be \[2\].*got \[3\]/);
    expectInvalid(() => new FlowDistribution(two, iaf), /pass `context`/);
    const h = tf.zeros([5, 3]);
    expectInvalid(() => new FlowDistribution(two, flow, { context: h }), /takes no context/);
    const q = new DiagonalNormal(tf.zeros([4, 2]), tf.zeros([4, 2]));
    expectInvalid(
      () => new FlowDistribution(q, iaf, { context: h }),
      /does not fit the base's batch shape \[4\]/,
    );
    tf.dispose(h);
    [three, two, q].forEach((d) => {
      d.dispose();
    });
    flow.dispose();
    iaf.dispose();
  });
});
