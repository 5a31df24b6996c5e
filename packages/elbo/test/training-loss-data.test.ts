// The training losses encode their batch as data ({ inputGradient: false }): a VampPrior
// model's first layer then skips d/dx for the batch (it keeps it for the pseudo-inputs).
// The loss and every parameter gradient must stay what they were, to the bit.
import * as tf from '@tensorflow/tfjs-core';
import { seededUniform } from '@vae/divergence';
import { mlpVAE, type VAE } from '@vae/nn';
import { expectNoLeaks, float32Bits } from '@vae/test-kit';
import { ensureGradients } from '@vae/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LatentVariableModel, negativeElboLoss, negativeIwaeLoss } from '../src/index.js';

beforeAll(ensureGradients);

/** The model as a `LatentVariableModel` that drops `encode`'s options (computes d/dx). */
function ignoringOptions(model: VAE): LatentVariableModel {
  return {
    priorDistribution: () => model.priorDistribution(),
    encode: (x) => model.encode(x),
    decode: (z) => model.decode(z),
  };
}

const losses: [string, (model: LatentVariableModel, x: tf.Tensor) => tf.Scalar][] = [
  ['negativeElboLoss', (model, x) => negativeElboLoss(model, x, { seed: 4 })],
  [
    'negativeElboLoss with 3 samples',
    (model, x) => negativeElboLoss(model, x, { samples: 3, seed: 4 }),
  ],
  ['negativeIwaeLoss', (model, x) => negativeIwaeLoss(model, x, { k: 4, seed: 4 })],
];

describe('training losses on a VampPrior model', () => {
  for (const [name, lossOf] of losses) {
    it(`${name}: the same loss and gradients as encoding with d/dx, none to x`, async () => {
      const model = mlpVAE({
        inputShape: [784],
        hidden: [48],
        latentDim: 5,
        prior: { kind: 'vamp', components: 6 },
        seed: 1,
      });
      const uniform = seededUniform(2);
      const x = tf.tensor2d(
        Array.from({ length: 24 * 784 }, () => (uniform() < 0.13 ? 1 : 0)),
        [24, 784],
      );
      const bits = (m: LatentVariableModel) => {
        const { value, grads } = tf.variableGrads(() => lossOf(m, x), model.trainableVariables);
        const out = [value, ...model.trainableVariables.map((v) => grads[v.name]!)].map(
          float32Bits,
        );
        tf.dispose([value, ...Object.values(grads)]);
        return out;
      };
      expect(bits(model)).toEqual(bits(ignoringOptions(model)));
      expect(() => tf.grad((input: tf.Tensor) => lossOf(model, input))(x)).toThrow();
      const dx = tf.grad((input: tf.Tensor) => lossOf(ignoringOptions(model), input))(x);
      expect(dx.shape).toEqual([24, 784]);
      dx.dispose();
      await expectNoLeaks(() => {
        const { value, grads } = tf.variableGrads(() => lossOf(model, x), model.trainableVariables);
        tf.dispose([value, ...Object.values(grads)]);
      });
      x.dispose();
      model.dispose();
    });
  }
});
