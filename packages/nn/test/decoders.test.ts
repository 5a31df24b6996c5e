import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli, ContinuousBernoulli, Independent, Normal } from '@vae/distributions';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  BernoulliDecoder,
  ContinuousBernoulliDecoder,
  GaussianDecoder,
  Linear,
  VaeError,
} from '../src/index.js';

const body = () => new Linear({ inFeatures: 2, outFeatures: 6, seed: 1 });

describe('decoders', () => {
  it('BernoulliDecoder: logProb and its gradient match Independent(Bernoulli)', async () => {
    const decoder = new BernoulliDecoder({ body: body(), eventShape: [2, 3] });
    const z = tf.randomNormal([4, 2], 0, 2, 'float32', 1);
    const x = tf.tidy(() => tf.reshape(tf.randomUniform([4, 6], 0, 1, 'float32', 2), [4, 2, 3]));
    const value = await expectNoLeaks(() => {
      const p = decoder.call(z);
      const out = p.logProb(x);
      p.dispose();
      return out;
    });
    expect(value.shape).toEqual([4]);
    tf.tidy(() => {
      const reference = (logits: tf.Tensor) =>
        tf.sum(
          new Independent(new Bernoulli({ logits, validateArgs: false }), 2).logProb(x),
        ) as tf.Scalar;
      const ours = () => tf.sum(decoder.call(z).logProb(x)) as tf.Scalar;
      const logits = tf.reshape(decoder.body.call(z), [4, 2, 3]);
      expectClose(ours(), reference(logits));
      const g1 = tf.variableGrads(ours, decoder.trainableVariables).grads;
      const g2 = tf.variableGrads(
        () => reference(tf.reshape(decoder.body.call(z), [4, 2, 3])),
        decoder.trainableVariables,
      ).grads;
      for (const name of Object.keys(g2)) expectClose(g1[name]!, g2[name]!);
      expectClose(decoder.mean(z), tf.sigmoid(logits));
    });
    tf.dispose([z, x]);
    decoder.dispose();
  });

  it('BernoulliDecoder stays finite and exact for extreme logits', () => {
    const layer = new Linear({ inFeatures: 1, outFeatures: 3, seed: 1 });
    layer.weight.assign(tf.tensor2d([[-100, 0, 100]]));
    const decoder = new BernoulliDecoder({ body: layer, eventShape: [3] });
    tf.tidy(() => {
      const p = decoder.call(tf.ones([1, 1]));
      // x * l - softplus(l) for l = [-100, 0, 100], x = [1, 1, 0]
      expectClose(p.logProb(tf.tensor2d([[1, 1, 0]])), [-100 - Math.LN2 - 100], { rtol: 1e-6 });
    });
    decoder.dispose();
  });

  it('ContinuousBernoulliDecoder matches Independent(ContinuousBernoulli)', () => {
    const decoder = new ContinuousBernoulliDecoder({ body: body(), eventShape: [6] });
    tf.tidy(() => {
      const z = tf.randomNormal([3, 2], 0, 1, 'float32', 3);
      const x = tf.randomUniform([3, 6], 0.01, 0.99, 'float32', 4);
      const logits = decoder.body.call(z);
      const expected = new Independent(new ContinuousBernoulli({ logits }), 1).logProb(x);
      expectClose(decoder.call(z).logProb(x), expected);
    });
    decoder.dispose();
  });

  it('GaussianDecoder: learned and fixed variance', () => {
    const learned = new GaussianDecoder({ body: body(), eventShape: [6] });
    const fixed = new GaussianDecoder({ body: body(), eventShape: [6], variance: 0.25 });
    expect(learned.namedParameters().map(([n]) => n)).toEqual([
      'logVariance',
      'body.weight',
      'body.bias',
    ]);
    tf.tidy(() => {
      const z = tf.randomNormal([3, 2], 0, 1, 'float32', 3);
      const x = tf.randomNormal([3, 6], 0, 1, 'float32', 4);
      const loc = learned.body.call(z);
      expectClose(
        learned.call(z).logProb(x),
        new Independent(new Normal({ loc, scale: 1 }), 1).logProb(x),
      );
      expectClose(
        fixed.call(z).logProb(x),
        new Independent(new Normal({ loc, scale: 0.5 }), 1).logProb(x),
      );
    });
    expect(() => new GaussianDecoder({ body: body(), eventShape: [6], variance: -1 })).toThrow(
      VaeError,
    );
    learned.dispose();
    fixed.dispose();
  });
});
