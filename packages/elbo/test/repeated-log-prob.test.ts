import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';
import { autoregressiveVAE, type VAE } from '@vae/nn';
import { expectNoLeaks } from '@vae/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iwae, type LatentVariableModel, logLikelihood, negativeIwaeLoss } from '../src/index.js';

// A decoder distribution with `logProbRepeated` (an autoregressive decoder's) is scored
// through it; the bounds must not change: the same model with the method hidden gives the
// same numbers, and the method is really called.

let model: VAE;
let x: tf.Tensor2D;

beforeAll(() => {
  model = autoregressiveVAE({ inputShape: [8], hidden: [12], latentDim: 3, seed: 5 });
  x = tf.tidy(() => tf.round(tf.randomUniform([5, 8], 0, 1, 'float32', 6))) as tf.Tensor2D;
});

afterAll(() => {
  model.dispose();
  x.dispose();
});

/** `model` with `logProbRepeated` hidden from its decoder's distributions, counting calls of it otherwise. */
function variants(): {
  plain: LatentVariableModel;
  counted: LatentVariableModel;
  calls: () => number;
} {
  let calls = 0;
  const plain: LatentVariableModel = {
    priorDistribution: () => model.priorDistribution(),
    encode: (input) => model.encode(input),
    decode: (z) => {
      const p = model.decode(z);
      Object.defineProperty(p, 'logProbRepeated', { value: undefined });
      return p;
    },
  };
  const counted: LatentVariableModel = {
    priorDistribution: () => model.priorDistribution(),
    encode: (input) => model.encode(input),
    decode: (z) => {
      const p = model.decode(z) as Distribution & {
        logProbRepeated(x: tf.Tensor, copies: number): tf.Tensor;
      };
      const method = p.logProbRepeated.bind(p);
      Object.defineProperty(p, 'logProbRepeated', {
        value: (data: tf.Tensor, copies: number) => {
          calls++;
          return method(data, copies);
        },
      });
      return p;
    },
  };
  return { plain, counted, calls: () => calls };
}

describe('decoders that score a repeated batch themselves', () => {
  it('give logLikelihood, iwae and the IWAE loss unchanged, and are called', async () => {
    const { plain, counted, calls } = variants();
    for (const [name, bound] of [
      [
        'logLikelihood',
        (m: LatentVariableModel) => logLikelihood(m, x, { k: 7, batchSize: 10, seed: 3 }),
      ],
      ['iwae', (m: LatentVariableModel) => iwae(m, x, { k: 4, seed: 0 })],
      ['negativeIwaeLoss', (m: LatentVariableModel) => negativeIwaeLoss(m, x, { k: 3, seed: 2 })],
    ] as const) {
      const before = calls();
      const a = bound(plain);
      const b = bound(counted);
      await expectNoLeaks(() => bound(counted));
      expect(calls(), name).toBeGreaterThan(before);
      const [va, vb] = [a.dataSync(), b.dataSync()];
      va.forEach((v, i) => {
        expect(vb[i], `${name}[${i}]`).toBeCloseTo(v, 3);
      });
      tf.dispose([a, b]);
    }
  });
});
