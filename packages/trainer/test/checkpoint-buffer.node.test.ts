import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  fit,
  memoryCheckpointStore,
  tensorData,
} from '../src/index.js';
import { linearModel, noisyLoss, regressionData } from './helpers.js';

// Node only: Buffer#slice returns a view where Uint8Array#slice copies, which once
// made decodeCheckpoint read weights from the wrong bytes of a pooled Buffer.
describe('decodeCheckpoint with a Node Buffer', () => {
  it('reads the weights of a Buffer that views a larger pool', async () => {
    const store = memoryCheckpointStore();
    const model = linearModel(0.5);
    const { x, y } = regressionData();
    await fit(model, tensorData({ x, y }), {
      loss: noisyLoss(model),
      batchSize: 32,
      checkpoint: { store },
    });
    model.dispose();
    tf.dispose([x, y]);
    const checkpoint = (await store.load())!;
    const bytes = encodeCheckpoint(checkpoint);
    const padded = new Uint8Array(bytes.length + 13);
    padded.set(bytes, 5);
    const again = decodeCheckpoint(Buffer.from(padded.buffer, 5, bytes.length));
    expect(new Uint8Array(again.weightData)).toEqual(new Uint8Array(checkpoint.weightData));
  });
});
