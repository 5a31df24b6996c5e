// Node only: it counts setImmediate callbacks.
// When fit yields to the event loop: after every `yieldEvery` batches, and/or once
// `yieldIntervalMs` have passed since the last yield (25 ms by default). Counted, not
// timed: a chain of setImmediate callbacks advances only while fit yields a macrotask
// (between yields fit awaits microtasks only), so the ticks seen between two batch
// events say whether fit yielded after the first of them.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FitOptions, fit, tensorData, type VaeError } from '../src/index.js';
import { type Batch, linearModel, mseLoss, regressionData } from './helpers.js';

let x: tf.Tensor2D;
let y: tf.Tensor2D;
beforeAll(() => {
  ({ x, y } = regressionData(64));
});
afterAll(() => tf.dispose([x, y]));

/** Whether fit yielded after each batch but the last, over one epoch of 8 batches. */
async function yieldsAfterBatches(
  options: Partial<FitOptions<Batch>>,
  slowBatchMs = 0,
): Promise<boolean[]> {
  const model = linearModel();
  let ticks = 0;
  let running = true;
  const tick = () => {
    ticks++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const seen: number[] = [];
  try {
    await fit(model, tensorData({ x, y }), {
      loss: (batch, context) => {
        // A batch that takes at least `slowBatchMs` of wall time (a busy wait, no yield).
        const until = performance.now() + slowBatchMs;
        while (performance.now() < until);
        return mseLoss(model)(batch, context);
      },
      batchSize: 8,
      ...options,
      onEvent: (event) => {
        if (event.type === 'batch') seen.push(ticks);
      },
    });
  } finally {
    running = false;
    model.dispose();
  }
  return seen.slice(1).map((count, i) => count > seen[i]!);
}

describe('fit yields to the event loop', () => {
  it('after every batch with yieldEvery: 1 or yieldIntervalMs: 0', async () => {
    expect(await yieldsAfterBatches({ yieldEvery: 1 })).toEqual(new Array(7).fill(true));
    expect(await yieldsAfterBatches({ yieldIntervalMs: 0 })).toEqual(new Array(7).fill(true));
  });

  it('after every yieldEvery batches, and not between them', async () => {
    expect(await yieldsAfterBatches({ yieldEvery: 3 })).toEqual([
      false,
      false,
      true,
      false,
      false,
      true,
      false,
    ]);
  });

  it('once the interval has passed: never within an epoch of fast batches, after every slow batch', async () => {
    const hour = 3_600_000;
    expect(await yieldsAfterBatches({ yieldIntervalMs: hour })).toEqual(new Array(7).fill(false));
    // By default (25 ms), a batch that takes 30 ms is always followed by a yield.
    expect(await yieldsAfterBatches({}, 30)).toEqual(new Array(7).fill(true));
    // With both, whichever is due: every 4 batches here.
    expect(await yieldsAfterBatches({ yieldEvery: 4, yieldIntervalMs: hour })).toEqual([
      false,
      false,
      false,
      true,
      false,
      false,
      false,
    ]);
  });

  it('rejects a negative or non-finite yieldIntervalMs, naming it', async () => {
    const model = linearModel();
    const message = (yieldIntervalMs: number) =>
      fit(model, tensorData({ x, y }), { loss: mseLoss(model), yieldIntervalMs }).catch(
        (e: VaeError) => e.message,
      );
    expect(await message(-1)).toBe('fit: `yieldIntervalMs` must be a finite number >= 0, got -1');
    expect(await message(Number.NaN)).toBe(
      'fit: `yieldIntervalMs` must be a finite number >= 0, got NaN',
    );
    model.dispose();
  });
});
