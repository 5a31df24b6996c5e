import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  Distribution,
  hasKL,
  klDivergence,
  type ParamLike,
  ParamScope,
  registerKL,
  VaeError,
} from '../src/index.js';
import { finiteReal, real } from '../src/internal/constraints.js';

// A point mass, the smallest possible family, to exercise the base class and the registry.
class PointMass extends Distribution {
  readonly loc: tf.Tensor;
  constructor(options: { loc: ParamLike; validateArgs?: boolean }) {
    const scope = new ParamScope('PointMass', options);
    const loc = scope.param('loc', options.loc, finiteReal);
    super({ batchShape: loc.shape }, scope);
    this.loc = loc;
  }
  get support() {
    return real;
  }
  override get hasRsample() {
    return true;
  }
  logProb(value: ParamLike): tf.Tensor {
    return tf.tidy(() => tf.log(tf.cast(tf.equal(this.checkedValue(value), this.loc), 'float32')));
  }
  override mean() {
    return this.loc.clone();
  }
  override variance() {
    return tf.zerosLike(this.loc);
  }
  protected draw(sampleShape: number[]) {
    return tf.mul(tf.broadcastTo(this.loc, this.extendedShape(sampleShape)), 1);
  }
}
class SpecialPointMass extends PointMass {}
class OtherPointMass extends PointMass {}
class Unregistered extends PointMass {}

registerKL(PointMass, PointMass, (p, q) =>
  tf.where(tf.equal(p.loc, q.loc), tf.zerosLike(p.loc), tf.fill(p.loc.shape, Infinity)),
);
registerKL(SpecialPointMass, PointMass, (p) => tf.fill(p.loc.shape, 1));
registerKL(PointMass, OtherPointMass, (p) => tf.fill(p.loc.shape, 2));

describe('Distribution base', () => {
  it('owns tensors it creates and frees them on dispose, never the caller tensor', async () => {
    const loc = tf.tensor([1, 2]);
    await expectNoLeaks(() => {
      const d = new PointMass({ loc: [1, 2, 3] });
      const e = new PointMass({ loc });
      tf.dispose([d.sample([2]), d.stddev(), d.logProb([1, 0, 3]), e.mean()]);
      d.dispose();
      e.dispose();
      d.dispose();
    });
    expect(loc.isDisposed).toBe(false);
    loc.dispose();
  });

  it('shapes samples as [...sample, ...batch, ...event] and blocks gradients in sample', () => {
    const d = new PointMass({ loc: [1, 2, 3] });
    const s = d.sample([4, 2]);
    expect(s.shape).toEqual([4, 2, 3]);
    const loc = tf.tensor([1, 2]);
    const viaSample = tf.grad((x) => tf.sum(new PointMass({ loc: x }).sample([3])))(loc);
    const viaRsample = tf.grad((x) => tf.sum(new PointMass({ loc: x }).rsample([3])))(loc);
    expectClose(viaSample, [0, 0]);
    expectClose(viaRsample, [3, 3]);
    tf.dispose([s, loc, viaSample, viaRsample]);
    d.dispose();
  });

  it('throws UNSUPPORTED for missing members and INVALID_ARGUMENT for bad sample shapes', () => {
    const d = new PointMass({ loc: 0 });
    expect(() => d.entropy()).toThrow(/PointMass.entropy/);
    expect(() => d.cdf(0)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(() => d.sample([-1])).toThrow(/sampleShape/);
    d.dispose();
  });

  it('validates parameters and values with messages naming class and argument', async () => {
    await expectNoLeaks(() => {
      expect(() => new PointMass({ loc: [1, Number.NaN] })).toThrow(
        /PointMass: `loc` must be finite, got a tensor of shape \[2\]/,
      );
      const d = new PointMass({ loc: [1, 2] });
      expect(() => d.logProb([1, 2, 3])).toThrow(/PointMass.logProb: `value` of shape \[3\]/);
      expect(() => d.logProb([Number.NaN, 1])).toThrow(VaeError);
      d.dispose();
    });
  });
});

describe('klDivergence registry', () => {
  it('picks the most specific registered pair', () => {
    const base = new PointMass({ loc: [0, 1] });
    const special = new SpecialPointMass({ loc: [0, 1] });
    const other = new OtherPointMass({ loc: [0, 1] });
    const shifted = new PointMass({ loc: [0, 2] });
    const results = [
      klDivergence(base, shifted),
      klDivergence(special, base),
      klDivergence(base, other),
      klDivergence(special, other), // (Special, Point) and (Point, Other): equal distance, p wins
    ];
    expectClose(results[0]!, [0, Infinity]);
    expectClose(results[1]!, [1, 1]);
    expectClose(results[2]!, [2, 2]);
    expectClose(results[3]!, [1, 1]);
    tf.dispose(results);
    for (const d of [base, special, other, shifted]) d.dispose();
  });

  it('throws KL_NOT_REGISTERED naming both classes and klMonteCarlo', () => {
    const a = new Unregistered({ loc: 0 });
    class Lone extends PointMass {}
    Object.setPrototypeOf(Lone.prototype, Distribution.prototype);
    const b = new PointMass({ loc: 0 });
    const lone = Object.create(Lone.prototype) as Distribution;
    try {
      klDivergence(lone, b);
      expect.unreachable();
    } catch (error) {
      expect(VaeError.isInstance(error) && error.code).toBe('KL_NOT_REGISTERED');
      expect((error as Error).message).toMatch(/Lone \|\| PointMass.*klMonteCarlo/);
    }
    expectClose(klDivergence(a, b), 0);
    expect(hasKL(a, b)).toBe(true);
    expect(hasKL(lone, b)).toBe(false);
    a.dispose();
    b.dispose();
  });

  it('refuses to register a pair twice unless replacing is asked for', () => {
    class Twice extends PointMass {}
    registerKL(Twice, Twice, (p) => tf.fill(p.loc.shape, 3));
    expect(() => registerKL(Twice, Twice, (p) => tf.fill(p.loc.shape, 4))).toThrowError(
      /KL\(Twice \|\| Twice\) is already registered; pass \{ replace: true \}/,
    );
    registerKL(Twice, Twice, (p) => tf.fill(p.loc.shape, 4), { replace: true });
    const t = new Twice({ loc: 0 });
    expectClose(klDivergence(t, t), 4);
    t.dispose();
  });
});
