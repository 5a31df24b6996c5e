import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { MADE, VaeError } from '../src/index.js';
import { perturb } from './flow-helpers.js';

const D = 5;

/** Rolls `made` out over `rows` rows, recording the outputs each feature was picked from. */
function rollout(made: MADE, rows: number, context?: tf.Tensor) {
  const seen = new Map<number, number[][]>();
  const x = made.rollout(
    (outputs, i) => {
      expect(outputs.shape).toEqual([rows, made.outputsPerFeature]);
      seen.set(i, outputs.arraySync() as number[][]);
      // A value that depends on every output column, so each one matters downstream.
      return tf.tanh(tf.sum(outputs, 1, true));
    },
    { rows, context },
  );
  return { x, seen };
}

/** The full pass's outputs [rows, k * D] for the final x: what D passes would have picked from. */
function fullPass(made: MADE, x: tf.Tensor, context?: tf.Tensor): number[][] {
  return tf.tidy(() => made.call(x, context).arraySync() as number[][]);
}

const CASES: [string, ConstructorParameters<typeof MADE>[0], boolean][] = [
  [
    'two hidden layers, two outputs, a context',
    {
      features: D,
      hidden: [9, 7],
      outputsPerFeature: 2,
      contextFeatures: 3,
      order: [2, 4, 0, 1, 3],
      seed: 4,
    },
    true,
  ],
  [
    'one hidden layer, one output, a context',
    { features: D, hidden: [11], outputsPerFeature: 1, contextFeatures: 2, seed: 5 },
    true,
  ],
  [
    'no hidden layer, a context',
    {
      features: D,
      hidden: [],
      outputsPerFeature: 2,
      contextFeatures: 2,
      order: [4, 3, 2, 1, 0],
      seed: 6,
    },
    true,
  ],
  [
    'one hidden layer, no context, tanh',
    { features: D, hidden: [8], outputsPerFeature: 3, activation: 'tanh', seed: 7 },
    false,
  ],
];

describe('MADE.rollout', () => {
  for (const [name, options, withContext] of CASES) {
    it(`picks each feature from the outputs a full pass gives it (${name})`, () => {
      const made = new MADE(options);
      perturb(made, 11, 0.5); // nonzero biases too: with zero ones, a context-free rollout stays at 0
      const rows = 4;
      const context = withContext
        ? tf.randomNormal([rows, options.contextFeatures!], 0, 1, 'float32', 8)
        : undefined;
      const start = tf.memory().numTensors;
      const { x, seen } = rollout(made, rows, context);
      expect(tf.memory().numTensors).toBe(start + 1);
      expect(x.shape).toEqual([rows, D]);
      expect(seen.size).toBe(D);
      const full = fullPass(made, x, context);
      for (let i = 0; i < D; i++) {
        const got = seen.get(i)!;
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < made.outputsPerFeature; j++) {
            expect(got[r]![j]).toBeCloseTo(full[r]![j * D + i]!, 4);
          }
        }
      }
      // And the values are the picks of those outputs, written in their features' columns.
      const values = x.arraySync() as number[][];
      for (let i = 0; i < D; i++) {
        const sum = seen.get(i)!.map((row) => Math.tanh(row.reduce((a, b) => a + b, 0)));
        for (const [r, v] of sum.entries()) expect(values[r]![i]).toBeCloseTo(v, 5);
      }
      tf.dispose([x, context]);
      made.dispose();
    });
  }

  it('visits the features in the order, each once', () => {
    const order = [3, 0, 4, 1, 2]; // position of each feature
    const made = new MADE({ features: D, hidden: [6], outputsPerFeature: 1, order, seed: 2 });
    const visited: number[] = [];
    const x = made.rollout(
      (outputs, i) => {
        visited.push(i);
        return tf.zerosLike(outputs);
      },
      { rows: 1 },
    );
    expect(visited.map((i) => order[i])).toEqual([0, 1, 2, 3, 4]);
    x.dispose();
    made.dispose();
  });

  it('frees its intermediates when pick throws', () => {
    const made = new MADE({ features: D, hidden: [6], outputsPerFeature: 1, seed: 2 });
    const start = tf.memory().numTensors;
    let calls = 0;
    expect(() =>
      made.rollout(
        (outputs) => {
          if (++calls === 3) throw new Error('stop');
          return tf.sigmoid(outputs);
        },
        { rows: 2 },
      ),
    ).toThrow('stop');
    expect(tf.memory().numTensors).toBe(start);
    made.dispose();
  });

  it('refuses a bad row count or a context that does not fit', () => {
    const withContext = new MADE({
      features: D,
      hidden: [6],
      outputsPerFeature: 1,
      contextFeatures: 2,
      seed: 1,
    });
    const plain = new MADE({ features: D, hidden: [6], outputsPerFeature: 1, seed: 1 });
    const pick = (outputs: tf.Tensor) => tf.sigmoid(outputs);
    const context = tf.zeros([3, 2]);
    expect(() => plain.rollout(pick, { rows: 0 })).toThrow(/`rows` must be a positive integer/);
    expect(() => plain.rollout(pick, { rows: 3, context })).toThrow(/takes no context/);
    expect(() => withContext.rollout(pick, { rows: 3 })).toThrow(
      /context must be \[3, 2\], got none/,
    );
    expect(() => withContext.rollout(pick, { rows: 4, context })).toThrow(VaeError);
    context.dispose();
    withContext.dispose();
    plain.dispose();
  });
});
