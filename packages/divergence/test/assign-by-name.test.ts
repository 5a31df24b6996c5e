import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { assignByName, VaeError } from '../src/index.js';

function variables() {
  return {
    w: tf.variable(tf.zeros([2, 3])),
    b: tf.variable(tf.zeros([3])),
  };
}

describe('assignByName', () => {
  it('assigns by name, whatever the order, and leaves the values to the caller', async () => {
    const { w, b } = variables();
    const values = { b: tf.fill([3], 2), 'layer.w': tf.ones([2, 3]) };
    await expectNoLeaks(() => {
      assignByName(
        [
          ['layer.w', w],
          ['b', b],
        ],
        values,
      );
    });
    expect(Array.from(w.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(b.dataSync())).toEqual([2, 2, 2]);
    expect(values.b.isDisposed).toBe(false);
    tf.dispose([w, b, values.b, values['layer.w']]);
  });

  it('lists missing, unexpected and mis-shaped names and assigns nothing', () => {
    const { w, b } = variables();
    const values = new Map<string, tf.Tensor>([
      ['w', tf.ones([3, 2])],
      ['extra', tf.ones([1])],
    ]);
    let error: unknown;
    try {
      assignByName(
        [
          ['w', w],
          ['b', b],
        ],
        values,
        { source: 'run.ckpt' },
      );
    } catch (caught) {
      error = caught;
    }
    expect(VaeError.isInstance(error) && error.code).toBe('CHECKPOINT_MISMATCH');
    const message = (error as Error).message;
    expect(message).toContain('run.ckpt');
    expect(message).toContain('missing: b');
    expect(message).toContain('unexpected: extra');
    expect(message).toContain('mis-shaped: w (run.ckpt: float32 [3, 2], model: float32 [2, 3])');
    expect(Array.from(w.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    tf.dispose([w, b, ...values.values()]);
  });

  it('non-strict loads the shared names and still rejects wrong shapes', () => {
    const { w, b } = variables();
    assignByName(
      [
        ['w', w],
        ['b', b],
      ],
      { w: tf.ones([2, 3]), other: tf.ones([1]) },
      { strict: false },
    );
    expect(w.dataSync()[0]).toBe(1);
    expect(() => assignByName([['b', b]], { b: tf.ones([4]) }, { strict: false })).toThrowError(
      /mis-shaped: b/,
    );
    tf.dispose([w, b]);
  });
});
