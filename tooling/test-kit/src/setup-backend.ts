// Vitest setup file: selects the tfjs backend named by VAE_TEST_BACKEND and
// registers tfjs-core's gradients (its bundles register none by themselves).
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll } from 'vitest';

const backend = process.env.VAE_TEST_BACKEND ?? 'cpu';
// Silences tfjs's "install tfjs-node" banner, which is noise in test output.
tf.env().set('IS_TEST', true);

beforeAll(async () => {
  if (tf.getBackend() !== backend) {
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`test setup: backend '${backend}' failed to initialize`);
  }
  await tf.ready();
});
