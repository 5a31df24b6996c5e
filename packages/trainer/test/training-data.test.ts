// tensorData's batches: the rows at the given indices, as tf.gather gives them, on every
// backend (on wasm they are whole-row copies: src/internal/gather-rows.ts).
import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks } from '@vae/test-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensorData } from '../src/index.js';
import { wasmGatherRows } from '../src/internal/gather-rows.js';

const onWasm = process.env.VAE_TEST_BACKEND === 'wasm';

/** Distinct values per element, so a wrong row or a shifted copy shows. */
function numbered(shape: number[], dtype: 'float32' | 'int32'): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: size }, (_, i) => (dtype === 'int32' ? i - 7 : i * 0.5 - 3));
  return tf.tensor(values, shape, dtype);
}

describe('tensorData', () => {
  it('gives the rows at the indices, repeats and any order included, as tf.gather does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          rows: fc.integer({ min: 1, max: 9 }),
          inner: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 2 }),
          dtype: fc.constantFrom('float32' as const, 'int32' as const),
          picks: fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
        }),
        async ({ rows, inner, dtype, picks }) => {
          const x = numbered([rows, ...inner], dtype);
          const indices = picks.map((p) => p % rows);
          await expectNoLeaks(() => {
            const batch = tensorData(x).getBatch(indices) as tf.Tensor;
            const expected = tf.tidy(() => tf.gather(x, tf.tensor1d(indices, 'int32')));
            expect(batch.shape).toEqual([indices.length, ...inner]);
            expect(batch.dtype).toBe(dtype);
            expect(Array.from(batch.dataSync())).toEqual(Array.from(expected.dataSync()));
            tf.dispose([batch, expected]);
          });
          x.dispose();
        },
      ),
      { seed: 17, numRuns: 40 },
    );
  });

  it('batches each tensor of a record by the same indices', async () => {
    const x = numbered([5, 3], 'float32');
    const y = numbered([5], 'int32');
    const batch = await tensorData({ x, y }).getBatch([4, 0, 4]);
    expect(batch.x!.arraySync()).toEqual([
      [3, 3.5, 4],
      [-3, -2.5, -2],
      [3, 3.5, 4],
    ]);
    expect(Array.from(batch.y!.dataSync())).toEqual([-3, -7, -3]);
    tf.dispose([x, y, batch.x!, batch.y!]);
  });

  it('keeps tf.gather for what the row copy does not take: bool data, indices out of range', () => {
    const flags = tf.tensor1d([true, false, true], 'bool');
    const batch = tensorData(flags).getBatch([2, 1]) as tf.Tensor;
    expect(Array.from(batch.dataSync())).toEqual([1, 0]);
    tf.dispose([flags, batch]);
    const x = numbered([3, 2], 'float32');
    const data = tensorData(x);
    if (tf.getBackend() !== 'webgl') {
      // tf.gather's own check (WebGL does not check indices).
      expect(() => data.getBatch([0, 3])).toThrow(/index value 3 is not in \[0, 2\]/);
    }
    x.dispose();
  });

  it('copies rows on wasm only, into a tensor of its own', () => {
    const x = numbered([4, 2], 'float32');
    const indices = tf.tensor1d([3, 1], 'int32');
    const rows = wasmGatherRows(x, indices);
    expect(rows === undefined).toBe(!onWasm);
    if (rows !== undefined) {
      expect(rows.arraySync()).toEqual([
        [0, 0.5],
        [-2, -1.5],
      ]);
      x.dispose(); // the copy outlives its source
      expect(rows.arraySync()).toEqual([
        [0, 0.5],
        [-2, -1.5],
      ]);
      rows.dispose();
    } else {
      x.dispose();
    }
    indices.dispose();
  });
});
