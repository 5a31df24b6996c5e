// The ownership rule for this package's distributions: fields borrow, anything that allocates
// a tensor is a method (`mean()`); a getter may return a held tensor, never a new one.
import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import { expectGettersDoNotAllocate } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  AutoregressiveBernoulli,
  BernoulliDecoder,
  DiagonalNormal,
  DiscretizedLogisticMixtureDecoder,
  HierarchicalDistribution,
  Linear,
  MADE,
  StandardNormal,
} from '../src/index.js';

/** A distribution, and what to free with it (its decoder, MADE or context). */
type Built = { d: Distribution; free: { dispose(): void }[] };

const z = () => tf.tensor2d([[0.3], [-1.2]]);

const families: { name: string; make: () => Built }[] = [
  {
    name: 'DiagonalNormal',
    make: () => ({ d: new DiagonalNormal(tf.zeros([2, 3]), tf.zeros([2, 3])), free: [] }),
  },
  { name: 'StandardNormal', make: () => ({ d: new StandardNormal(3), free: [] }) },
  {
    name: 'HierarchicalDistribution',
    make: () => ({
      d: new HierarchicalDistribution({
        root: new DiagonalNormal(tf.zeros([2, 1]), tf.zeros([2, 1])),
        conditional: (a) => new DiagonalNormal(tf.mul(a, 2), tf.zerosLike(a)),
        conditionalDim: 1,
        rootPosition: 'first',
      }),
      free: [],
    }),
  },
  {
    name: 'AutoregressiveBernoulli',
    make: () => {
      const made = new MADE({ features: 4, hidden: [8], outputsPerFeature: 1, contextFeatures: 1 });
      const context = z();
      return {
        d: new AutoregressiveBernoulli({ made, context, eventShape: [4] }),
        free: [made, context],
      };
    },
  },
  {
    name: 'BernoulliDecoder output',
    make: () => {
      const body = new Linear({ inFeatures: 1, outFeatures: 3, seed: 1 });
      const decoder = new BernoulliDecoder({ body, eventShape: [3] });
      const x = z();
      return { d: decoder.call(x), free: [decoder, x] };
    },
  },
  {
    name: 'DiscretizedLogisticMixtureDecoder output',
    make: () => {
      const body = new Linear({ inFeatures: 1, outFeatures: 3 * 2, seed: 1 });
      const decoder = new DiscretizedLogisticMixtureDecoder({
        body,
        eventShape: [1],
        components: 2,
      });
      const x = z();
      return { d: decoder.call(x), free: [decoder, x] };
    },
  },
  {
    name: 'DiscretizedLogisticMixtureDecoder output (coupled)',
    make: () => {
      const body = new Linear({ inFeatures: 1, outFeatures: 10 * 2, seed: 1 });
      const decoder = new DiscretizedLogisticMixtureDecoder({
        body,
        eventShape: [1, 1, 3],
        components: 2,
        coupled: true,
      });
      const x = z();
      return { d: decoder.call(x), free: [decoder, x] };
    },
  },
];

describe('ownership: fields borrow, methods allocate', () => {
  for (const { name, make } of families) {
    it(`${name}: no getter allocates; mean() is a method returning a new tensor`, () => {
      const { d, free } = make();
      expect(expectGettersDoNotAllocate(d, name)).toContain('support');
      for (const method of ['mean', 'variance', 'stddev', 'mode']) {
        expect(typeof Reflect.get(d, method), `${name}.${method}`).toBe('function');
      }
      const before = tf.memory().numTensors;
      const mean = d.mean();
      mean.dispose();
      expect(tf.memory().numTensors, `${name}.mean()`).toBe(before);
      d.dispose();
      for (const item of free) item.dispose();
    });
  }
});
