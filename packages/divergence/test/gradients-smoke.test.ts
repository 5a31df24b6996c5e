import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

it('runs on the requested backend with gradients registered', () => {
  expect(tf.getBackend()).toBe(process.env.VAE_TEST_BACKEND);
  const g = tf.grad((x: tf.Tensor) => tf.sum(tf.exp(x)))(tf.tensor([0, 1]));
  expect(Array.from(g.dataSync())[1]).toBeCloseTo(Math.E, 4);
});
