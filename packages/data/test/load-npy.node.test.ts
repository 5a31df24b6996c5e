import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VaeError } from '../src/index.js';
import { loadNpy } from '../src/node.js';
import { headerText, npyFile, preamble } from './npy-bytes.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'npy');

function write(name: string, bytes: Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), 'vae-npy-')), name);
  writeFileSync(path, bytes);
  return path;
}

async function failure(promise: Promise<unknown>): Promise<VaeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!VaeError.isInstance(error)) throw new Error(`expected a VaeError, got ${String(error)}`);
  return error;
}

describe('loadNpy on files written by NumPy (test/fixtures/npy/generate.py)', () => {
  // Values are (arange(n) + offset) * scale, as generate.py writes them.
  const fixtures = [
    { name: 'u1-c', shape: [2, 3, 4], offset: 0, scale: 1, storage: 'Uint8Array' },
    { name: 'i1-f', shape: [3, 4], offset: -5, scale: 1, storage: 'Float32Array' },
    { name: 'i2-be-f', shape: [2, 3, 4], offset: -300, scale: 1, storage: 'Float32Array' },
    { name: 'i4-le', shape: [5, 2], offset: -70_000, scale: 1, storage: 'Float32Array' },
    { name: 'f4-be', shape: [4, 3], offset: 0, scale: 0.5, storage: 'Float32Array' },
    { name: 'f8-le-f', shape: [2, 2, 3], offset: 0, scale: 0.5, storage: 'Float32Array' },
    { name: 'i8-le', shape: [6, 1], offset: -3, scale: 1, storage: 'Float32Array' },
  ];

  it.each(fixtures)('$name: shape kept, values in C order', async (fixture) => {
    const { name, shape, offset, scale, storage } = fixture;
    const dataset = await loadNpy(join(FIXTURES, `${name}.npy`));
    expect([dataset.size, ...dataset.itemShape]).toEqual(shape);
    expect(dataset.values.constructor.name).toBe(storage);
    const n = shape.reduce((a, b) => a * b, 1);
    expect(Array.from(dataset.values)).toEqual(
      Array.from({ length: n }, (_, i) => (i + offset) * scale),
    );
  });
});

describe('loadNpy', () => {
  it('keeps uint8 files 8-bit and attaches integer labels from a second file', async () => {
    const data = write(
      'x.npy',
      npyFile('|u1', [3, 2, 2], { values: Array.from({ length: 12 }, (_, i) => 20 * i) }),
    );
    const labels = write('y.npy', npyFile('<i8', [3], { values: [2, 0, 1000] }));
    const dataset = await loadNpy(data, { labels });
    expect(dataset.values).toBeInstanceOf(Uint8Array);
    expect(dataset.values.byteLength).toBe(12);
    expect(dataset.itemShape).toEqual([2, 2]);
    expect(dataset.labels).toBeInstanceOf(Int32Array);
    expect(Array.from(dataset.labels!)).toEqual([2, 0, 1000]);
  });

  it('rejects labels of another length or type, naming the labels file', async () => {
    const data = write('x.npy', npyFile('<f4', [2, 2], { values: [1, 2, 3, 4] }));
    const labels = write('y.npy', npyFile('<f4', [2], { values: [0, 1] }));
    const error = await failure(loadNpy(data, { labels }));
    expect(error.code).toBe('DATA_CORRUPT');
    expect(error.message).toBe(
      `loadNpy (${labels}): expected integer labels of shape [2], found float32 [2]`,
    );
  });

  it('names the file of an unsupported dtype, a truncated body and a missing file', async () => {
    const half = write(
      'half.npy',
      new Uint8Array([...preamble(headerText('<f2', [2, 2])), ...new Uint8Array(8)]),
    );
    expect((await failure(loadNpy(half))).message).toMatch(
      new RegExp(`^loadNpy \\(${half}\\): unsupported dtype '<f2'`),
    );
    const full = npyFile('>f8', [4, 2], { values: [1, 2, 3, 4, 5, 6, 7, 8] });
    const cut = write('cut.npy', full.subarray(0, full.length - 5));
    const truncated = await failure(loadNpy(cut));
    expect(truncated.code).toBe('DATA_CORRUPT');
    expect(truncated.message).toBe(
      `loadNpy (${cut}): expected 64 bytes of float64 values of shape [4, 2] after the header, found 59 (truncated)`,
    );
    const missing = await failure(loadNpy('/nonexistent/x.npy'));
    expect(missing.code).toBe('DATA_CORRUPT');
    expect(missing.message).toMatch(/^loadNpy \(\/nonexistent\/x\.npy\): cannot read the file/);
    // A FIFO named like the file is refused at once (opening it would wait for a writer).
    const fifo = join(mkdtempSync(join(tmpdir(), 'vae-npy-')), 'fifo.npy');
    execFileSync('mkfifo', [fifo]);
    const special = await failure(loadNpy(fifo));
    expect(special.code).toBe('DATA_CORRUPT');
    expect(special.message).toBe(`loadNpy (${fifo}): not a regular file`);
  });

  it('rejects a header announcing more than maxBytes from a 128-byte file, before reading the body', async () => {
    const forged = write('forged.npy', preamble(headerText('<f4', [100_000, 100_000])));
    const error = await failure(loadNpy(forged));
    expect(error.message).toBe(
      `loadNpy (${forged}): the header announces float32 values of shape [100000, 100000], 40000000000 bytes, more than maxBytes = 1073741824; pass a larger \`maxBytes\` if the file is genuine`,
    );
    const fine = write('fine.npy', npyFile('<f4', [10, 10], { values: new Array(100).fill(1) }));
    await expect(loadNpy(fine, { maxBytes: 399 })).rejects.toThrow(
      /400 bytes, more than maxBytes = 399/,
    );
    expect((await loadNpy(fine, { maxBytes: 400 })).size).toBe(10);
  });

  it('rejects non-finite values and empty arrays', async () => {
    const nan = write('nan.npy', npyFile('<f8', [1, 2], { values: [1, Number.NaN] }));
    expect((await failure(loadNpy(nan))).message).toMatch(
      /`values` must be finite, found NaN at index 1/,
    );
    const overflow = write('big.npy', npyFile('<f8', [1, 1], { values: [1e300] }));
    expect((await failure(loadNpy(overflow))).message).toMatch(/1e\+300 overflows float32/);
    const empty = write('empty.npy', npyFile('<f4', [0, 3], { values: [] }));
    expect((await failure(loadNpy(empty))).message).toMatch(
      /expected at least one example with values, found shape \[0, 3\]/,
    );
  });
});
