// A bijector written outside the package (the README's 1-D planar flow on tf.Variables): the
// base class's contract is enough for a trainable flow, with gradients reaching the variables.
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, numericGradient } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { Bijector, constraints, Normal, TransformedDistribution } from '../src/index.js';
import { logAbsDet, numericJacobian } from './helpers/jacobian.js';

/** y = x + u tanh(w x + b) on scalars, invertible for u w > -1 (a 1-D planar flow). */
class Planar extends Bijector {
  inversions = 0;
  readonly u: tf.Variable;
  readonly w: tf.Variable;
  readonly b: tf.Variable;
  constructor(params: { u: tf.Variable; w: tf.Variable; b: tf.Variable }, cache = true) {
    super({ name: 'Planar', domain: constraints.real, codomain: constraints.real, cache });
    ({ u: this.u, w: this.w, b: this.b } = params);
  }
  protected computeForward(x: tf.Tensor) {
    return tf.add(x, tf.mul(this.u, tf.tanh(tf.add(tf.mul(this.w, x), this.b))));
  }
  protected computeInverse(y: tf.Tensor): tf.Tensor {
    this.inversions++;
    // Newton's method on x + u tanh(w x + b) = y.
    let x = y;
    for (let i = 0; i < 30; i++) {
      const t = tf.tanh(tf.add(tf.mul(this.w, x), this.b));
      const slope = tf.add(1, tf.mul(tf.mul(this.u, this.w), tf.sub(1, tf.square(t))));
      x = tf.sub(x, tf.div(tf.sub(tf.add(x, tf.mul(this.u, t)), y), slope));
    }
    return x;
  }
  protected computeForwardLogDet(x: tf.Tensor) {
    const t = tf.tanh(tf.add(tf.mul(this.w, x), this.b));
    return tf.log(tf.abs(tf.add(1, tf.mul(tf.mul(this.u, this.w), tf.sub(1, tf.square(t))))));
  }
}

function variables(): { vars: tf.Variable[]; free: () => void } {
  const initial = [tf.scalar(0.8), tf.scalar(1.5), tf.scalar(-0.3)];
  const vars = initial.map((t) => tf.variable(t));
  return { vars, free: () => tf.dispose([...initial, ...vars]) };
}

describe('a user-written bijector (planar flow on tf.Variables)', () => {
  it('inverts, and its log-det matches the finite-difference Jacobian', async () => {
    await expectNoLeaks(() => {
      const { vars, free } = variables();
      const [u, w, b] = vars as [tf.Variable, tf.Variable, tf.Variable];
      const planar = new Planar({ u, w, b }, false);
      const x = tf.tensor1d([-2, -0.3, 0.1, 1.7]);
      const y = planar.forward(x);
      const back = planar.inverse(y);
      expectClose(back, x, { atol: 1e-5 });
      const jacobian = numericJacobian(
        planar,
        { values: [-2, -0.3, 0.1, 1.7], shape: [4] },
        { step: 1 / 1024 },
      );
      const logDet = planar.forwardLogDetJacobian(x);
      const total = Array.from(logDet.dataSync()).reduce((a, c) => a + c, 0);
      expectClose(total, logAbsDet(jacobian), { atol: 1e-3 });
      tf.dispose([x, y, back, logDet]);
      free();
    });
  });

  it('a TransformedDistribution of it trains: logProb gradients reach the variables', async () => {
    await expectNoLeaks(() => {
      const { vars, free } = variables();
      const [u, w, b] = vars as [tf.Variable, tf.Variable, tf.Variable];
      const planar = new Planar({ u, w, b });
      const base = new Normal({ loc: 0, scale: 1 });
      const flow = new TransformedDistribution(base, planar, { validateArgs: false });
      const data = tf.tensor1d([-1.2, 0.4, 2.5]);
      const loss = () => tf.tidy(() => tf.neg(tf.sum(flow.logProb(data))) as tf.Scalar);
      const { value, grads } = tf.variableGrads(loss, vars);
      for (const variable of vars) {
        const numeric = numericGradient(
          (t) => {
            const saved = variable.clone();
            variable.assign(t);
            const result = loss();
            variable.assign(saved);
            saved.dispose();
            return result;
          },
          variable,
          1 / 1024,
        );
        expectClose(grads[variable.name]!, numeric, { rtol: 5e-3, atol: 5e-3 });
      }
      // logProb of its own samples reads the cached draw instead of running Newton's method.
      const before = planar.inversions;
      const z = flow.rsample([5], 1);
      const logp = flow.logProb(z);
      expect(planar.inversions).toBe(before);
      tf.dispose([value, ...Object.values(grads), data, z, logp]);
      flow.dispose();
      base.dispose();
      free();
    });
  });
});
