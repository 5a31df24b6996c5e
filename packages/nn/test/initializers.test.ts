import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  type Initializer,
  Linear,
  zeros,
} from '../src/index.js';

const fans = { fanIn: 300, fanOut: 100 };
const cases: [string, Initializer, number][] = [
  ['glorotUniform', glorotUniform, 2 / 400],
  ['glorotNormal', glorotNormal, 2 / 400],
  ['heNormal', heNormal, 2 / 300],
  ['heUniform', heUniform, 2 / 300],
];

describe('initializers', () => {
  it.each(cases)(
    '%s: deterministic by seed, mean 0, the stated variance',
    async (_, init, variance) => {
      await expectNoLeaks(() => init([3, 4], fans, 1));
      tf.tidy(() => {
        const a = Array.from(init([300, 100], fans, 11).dataSync());
        const b = Array.from(init([300, 100], fans, 11).dataSync());
        const c = Array.from(init([300, 100], fans, 12).dataSync());
        expect(a).toEqual(b);
        expect(a).not.toEqual(c);
        const mean = a.reduce((s, v) => s + v, 0) / a.length;
        const second = a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length;
        // 30,000 draws: the sample variance is within ~2% of the truth (several standard errors).
        expect(Math.abs(mean)).toBeLessThan(3 * Math.sqrt(variance / a.length) + 1e-6);
        expect(Math.abs(second / variance - 1)).toBeLessThan(0.04);
      });
    },
  );

  it('zeros', () => {
    const z = zeros([3], fans, 0);
    expect(Array.from(z.dataSync())).toEqual([0, 0, 0]);
    z.dispose();
  });

  it('layers built with the same seed have the same weights', () => {
    const a = new Linear({ inFeatures: 5, outFeatures: 4, seed: 9 });
    const b = new Linear({ inFeatures: 5, outFeatures: 4, seed: 9 });
    expect(Array.from(a.weight.dataSync())).toEqual(Array.from(b.weight.dataSync()));
    a.dispose();
    b.dispose();
  });
});
