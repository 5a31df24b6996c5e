import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal, TransformedDistribution } from '@vae/distributions';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AffineCoupling,
  FlowStack,
  InverseAutoregressiveFlow,
  MaskedAutoregressiveFlow,
  Permutation,
  PlanarFlow,
  VaeError,
} from '../src/index.js';
import { contextFor, FEATURES, FLOW_CASES, logAbsDet, numericJacobian } from './flow-helpers.js';

const D = FEATURES;
const points = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), {
  minLength: 2 * D,
  maxLength: 2 * D,
});

describe.each(FLOW_CASES.map((c) => [c.name, c] as const))('%s', (_, flowCase) => {
  it('inverse(forward(x)) = x, forward(inverse(y)) = y, and the log-dets are opposite', () => {
    // Planar has no closed-form inverse (bisection + Newton, float32-exact); the others invert
    // analytically (MAF forward and IAF inverse in D sequential passes).
    fc.assert(
      fc.property(points, fc.integer({ min: 0, max: 1000 }), (values, seed) => {
        const layer = flowCase.build(seed);
        tf.tidy(() => {
          const x = tf.tensor2d(values, [2, D]);
          const context = contextFor(flowCase, 2, seed + 1);
          const forward = layer.forwardAndLogDet(x, context);
          const back = layer.inverseAndLogDet(forward.y, context);
          expectClose(back.x, x, { atol: 1e-4, rtol: 1e-4 });
          expectClose(back.logDet, tf.neg(forward.logDet), { atol: 1e-4, rtol: 1e-4 });
          const inverse = layer.inverseAndLogDet(x, context);
          expectClose(layer.forwardAndLogDet(inverse.x, context).y, x, { atol: 1e-4, rtol: 1e-4 });
        });
        layer.dispose();
      }),
      { numRuns: 12, seed: 11 },
    );
  });

  it('log |det| equals the log-determinant of the numerical Jacobian, both ways', () => {
    const layer = flowCase.build(3);
    tf.tidy(() => {
      const x = tf.randomNormal([6, D], 0, 1, 'float32', 4) as tf.Tensor2D;
      const context = contextFor(flowCase, 6, 5);
      const forward = layer.forwardAndLogDet(x, context);
      const jacobians = numericJacobian((t) => layer.forwardAndLogDet(t, context).y, x);
      expectClose(forward.logDet, jacobians.map(logAbsDet), { atol: 2e-3, rtol: 1e-3 });
      // The parameters are perturbed: the maps are far from volume-preserving (but permutations).
      const largest = tf.max(tf.abs(forward.logDet)).dataSync()[0]!;
      if (flowCase.name === 'Permutation') expect(largest).toBe(0);
      else expect(largest).toBeGreaterThan(0.05);
      const inverse = layer.inverseAndLogDet(x, context);
      const inverseJacobians = numericJacobian((t) => layer.inverseAndLogDet(t, context).x, x);
      expectClose(inverse.logDet, inverseJacobians.map(logAbsDet), { atol: 2e-3, rtol: 1e-3 });
    });
    layer.dispose();
  });

  it('maps [...batch, D] with leading axes, the context broadcast against them', () => {
    const layer = flowCase.build(6);
    tf.tidy(() => {
      const x = tf.randomNormal([2, 4, D], 0, 1, 'float32', 7);
      const context = contextFor(flowCase, 4, 8);
      const { y, logDet } = layer.forwardAndLogDet(x, context);
      expect(y.shape).toEqual([2, 4, D]);
      expect(logDet.shape).toEqual([2, 4]);
      // Row by row gives the same numbers.
      const row = layer.forwardAndLogDet(
        tf.reshape(tf.slice(x, [1, 0, 0], [1, 4, D]), [4, D]),
        context,
      );
      expectClose(tf.reshape(tf.slice(y, [1, 0, 0], [1, 4, D]), [4, D]), row.y);
      expectClose(tf.reshape(tf.slice(logDet, [1, 0], [1, 4]), [4]), row.logDet);
    });
    layer.dispose();
  });

  it('as a Bijector: the same maps, and a TransformedDistribution with its logProb', () => {
    const layer = flowCase.build(9);
    tf.tidy(() => {
      const x = tf.randomNormal([5, D], 0, 1, 'float32', 10);
      const context = contextFor(flowCase, 5, 11);
      const bijector = layer.bijector({
        ...(context === undefined ? {} : { context }),
        cache: false,
      });
      const { y, logDet } = layer.forwardAndLogDet(x, context);
      expectClose(bijector.forward(x), y);
      expectClose(bijector.forwardLogDetJacobian(x), logDet, { atol: 1e-5, rtol: 1e-4 });
      expectClose(bijector.inverse(y), x, { atol: 1e-4, rtol: 1e-4 });
      expectClose(bijector.inverseLogDetJacobian(y), tf.neg(logDet), { atol: 1e-4, rtol: 1e-4 });
      const base = new Independent(
        new Normal({ loc: tf.zeros([5, D]), scale: tf.ones([5, D]) }),
        1,
      );
      const cached = layer.bijector(context === undefined ? {} : { context });
      const p = new TransformedDistribution(base, cached);
      const expected = tf.sub(base.logProb(x), logDet); // log p(y) at y = f(x)
      expectClose(p.logProb(y), expected, { atol: 1e-4, rtol: 1e-4 });
      const draw = p.rsample([], 12);
      expect(draw.shape).toEqual([5, D]);
      p.dispose();
      base.dispose();
    });
    layer.dispose();
  });

  it('leaves no tensors behind', async () => {
    const layer = flowCase.build(13);
    const x = tf.randomNormal([3, D], 0, 1, 'float32', 14);
    const context = contextFor(flowCase, 3, 15);
    await expectNoLeaks(() => tf.tidy(() => layer.forwardAndLogDet(x, context)));
    await expectNoLeaks(() => tf.tidy(() => layer.inverseAndLogDet(x, context)));
    await expectNoLeaks(() => {
      const bijector = layer.bijector(context === undefined ? {} : { context });
      const y = bijector.forward(x);
      const out = [
        y,
        bijector.inverse(y),
        bijector.forwardLogDetJacobian(x),
        bijector.inverseLogDetJacobian(y),
      ];
      bijector.dispose();
      return out;
    });
    if (layer.trainableVariables.length > 0) {
      await expectNoLeaks(() => {
        const { value, grads } = tf.variableGrads(
          () => tf.sum(layer.forwardAndLogDet(x, context).logDet) as tf.Scalar,
          layer.trainableVariables,
        );
        return [value, ...Object.values(grads)];
      });
    }
    tf.dispose([x, context]);
    layer.dispose();
  });
});

describe('flow layers check their arguments', () => {
  function expectInvalid(run: () => unknown, message: RegExp): void {
    try {
      tf.tidy(() => {
        run();
      });
    } catch (error) {
      expect(VaeError.isInstance(error) && error.code).toBe('INVALID_ARGUMENT');
      expect((error as Error).message).toMatch(message);
      return;
    }
    expect.fail('expected INVALID_ARGUMENT');
  }

  it('names the layer, the argument and what it got', () => {
    const maf = new MaskedAutoregressiveFlow({ features: 3, hidden: [4], seed: 1 });
    const iaf = new InverseAutoregressiveFlow({
      features: 3,
      hidden: [4],
      contextFeatures: 2,
      seed: 1,
    });
    expectInvalid(
      () => maf.forwardAndLogDet(tf.zeros([2, 4])),
      /MaskedAutoregressiveFlow\.forwardAndLogDet: the input must be \[\.\.\.batch, 3\], got a tensor of shape \[2, 4\]/,
    );
    expectInvalid(() => iaf.forwardAndLogDet(tf.zeros([2, 3])), /conditioned on a context/);
    expectInvalid(
      () => maf.inverseAndLogDet(tf.zeros([2, 3]), tf.zeros([2, 2])),
      /takes no context/,
    );
    expectInvalid(
      () => iaf.forwardAndLogDet(tf.zeros([2, 3]), tf.zeros([2, 5])),
      /`context` must be \[\.\.\.batch, 2\], got a tensor of shape \[2, 5\]/,
    );
    expectInvalid(() => new AffineCoupling({ features: 1 }), /at least 2/);
    expectInvalid(() => new Permutation({ permutation: [0, 0, 1] }), /permutation of 0\.\.n-1/);
    expectInvalid(
      () => new FlowStack([maf, new PlanarFlow({ features: 2, seed: 1 })]),
      /same number of features, got 3, 2/,
    );
    expectInvalid(
      () =>
        new MaskedAutoregressiveFlow({
          features: 3,
          hidden: [4],
          degrees: [[0, 1, 5, 1]],
          seed: 1,
        }),
      /`degrees` must hold one list per hidden layer/,
    );
    maf.dispose();
    iaf.dispose();
  });
});
