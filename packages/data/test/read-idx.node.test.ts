import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeIdx, readIdx, VaeError } from '../src/index.js';
import { loadIdx, loadMnist, mnistFiles } from '../src/node.js';

const BOMB_BYTES = 50 * 2 ** 20;

/** A stream of `bytes` in chunks of `chunk` bytes that counts how many bytes were pulled. */
function countingStream(bytes: Uint8Array, chunk = 1024) {
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.pulled >= bytes.length) {
          controller.close();
          return;
        }
        const next = bytes.subarray(counter.pulled, counter.pulled + chunk);
        counter.pulled += next.length;
        controller.enqueue(next);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

async function failure(promise: Promise<unknown>): Promise<VaeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!VaeError.isInstance(error)) throw new Error(`expected a VaeError, got ${String(error)}`);
  return error;
}

/** A valid MNIST-like header for [10000, 28, 28] uint8 followed by `zeros` zero bytes. */
function headerThenZeros(zeros: number): Uint8Array {
  const header = encodeIdx({ dtype: 'uint8', shape: [1, 1, 1], data: new Uint8Array(1) }).subarray(
    0,
    16,
  );
  const view = new DataView(header.buffer, header.byteOffset, 16);
  view.setUint32(4, 10_000, false);
  view.setUint32(8, 28, false);
  view.setUint32(12, 28, false);
  const out = new Uint8Array(16 + zeros);
  out.set(header);
  return out;
}

describe('readIdx on gzip bombs (50 MB of zeros, inflated as a bounded stream)', () => {
  const zeros = gzipSync(new Uint8Array(BOMB_BYTES));
  const valid = gzipSync(headerThenZeros(BOMB_BYTES));

  it('rejects 50 MB of zeros (not an IDX header) after its first chunk, without consuming the stream', async () => {
    const { stream, counter } = countingStream(zeros);
    const error = await failure(readIdx(stream, { name: 'bomb.gz' }));
    expect(error.code).toBe('DATA_CORRUPT');
    expect(error.message).toMatch(
      /^bomb\.gz: parseIdx: expected an element type byte .* found 0x00/,
    );
    expect(counter.pulled).toBeLessThan(zeros.length);
  });

  it('rejects a valid [10000, 28, 28] header followed by 50 MB as soon as the output passes 7,840,016 bytes', async () => {
    const { stream, counter } = countingStream(valid);
    const error = await failure(readIdx(stream, { name: 'images.gz' }));
    expect(error.code).toBe('DATA_CORRUPT');
    expect(error.message).toMatch(
      /^images\.gz: expected 7840016 bytes for uint8 values of shape \[10000, 28, 28\], found more \(stopped after \d+ bytes: trailing data or a decompression bomb\)/,
    );
    const stoppedAt = Number(/stopped after (\d+)/.exec(error.message)![1]);
    expect(stoppedAt).toBeLessThan(7_840_016 + 2 ** 20); // within a chunk of the announced size
    expect(counter.pulled).toBeLessThan(valid.length);
  });

  it('rejects a header announcing more than maxBytes before allocating it', async () => {
    const { stream, counter } = countingStream(valid);
    const error = await failure(readIdx(stream, { name: 'images.gz', maxBytes: 1_000_000 }));
    expect(error.message).toBe(
      'images.gz: the header announces uint8 values of shape [10000, 28, 28], 7840016 bytes, more than maxBytes = 1000000; pass a larger `maxBytes` if the file is genuine',
    );
    expect(counter.pulled).toBeLessThan(valid.length);
  });

  it('rejects the bomb named like an MNIST file in loadMnist, naming the file', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'vae-bomb-'));
    writeFileSync(join(directory, 't10k-images-idx3-ubyte.gz'), zeros);
    writeFileSync(
      join(directory, 't10k-labels-idx1-ubyte.gz'),
      gzipSync(new Uint8Array(BOMB_BYTES)),
    );
    const error = await failure(loadMnist({ split: 'test', directory }));
    expect(error.code).toBe('DATA_CORRUPT');
    expect(error.message).toContain(`loadMnist (${join(directory, 't10k-')}`);
    expect(error.message).toMatch(/expected an element type byte/);
  });
});

describe('readIdx', () => {
  const idx = encodeIdx({
    dtype: 'int16',
    shape: [3, 2],
    data: Int16Array.from([-1, 2, -3, 4, -5, 600]),
  });

  it('reads raw and gzip bytes and streams alike', async () => {
    for (const input of [
      idx,
      gzipSync(idx),
      countingStream(gzipSync(idx), 7).stream,
      countingStream(idx, 3).stream,
    ]) {
      const parsed = await readIdx(input);
      expect(parsed.dtype).toBe('int16');
      expect(parsed.shape).toEqual([3, 2]);
      expect(Array.from(parsed.data)).toEqual([-1, 2, -3, 4, -5, 600]);
    }
  });

  it('reports truncation, a short header and invalid gzip', async () => {
    const cut = gzipSync(idx.subarray(0, idx.length - 2));
    expect((await failure(readIdx(cut, { name: 'f' }))).message).toBe(
      'f: parseIdx: expected 24 bytes for int16 values of shape [3, 2], found 22 (truncated)',
    );
    expect((await failure(readIdx(gzipSync(idx.subarray(0, 6))))).message).toMatch(
      /12-byte header .* found 6 bytes/,
    );
    const broken = gzipSync(idx);
    broken[12] = (broken[12]! + 77) % 256;
    const error = await failure(readIdx(countingStream(broken).stream, { name: 'g' }));
    expect(error.code).toBe('DATA_CORRUPT');
    expect(error.message).toMatch(/^g: /);
  });
});

describe('loadIdx', () => {
  it('keeps the shape of the MNIST test images ([28, 28] items, uint8) and attaches the labels', async () => {
    const files = mnistFiles('test');
    const test = await loadIdx(files.images, { labels: files.labels });
    expect(test.size).toBe(10_000);
    expect(test.itemShape).toEqual([28, 28]);
    expect(test.values).toBeInstanceOf(Uint8Array);
    expect(test.labels!.length).toBe(10_000);
    expect(test.labels![0]).toBe(7); // the first MNIST test digit is a 7
  });

  it('reads a gzip file of floats and rejects labels of another length, naming the file', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'vae-idx-'));
    const data = join(directory, 'points.idx.gz');
    writeFileSync(
      data,
      gzipSync(
        encodeIdx({
          dtype: 'float64',
          shape: [2, 3],
          data: Float64Array.from([1, 2, 3, 4, 5, 6.5]),
        }),
      ),
    );
    const labels = join(directory, 'labels.idx');
    writeFileSync(labels, encodeIdx({ dtype: 'uint8', shape: [3], data: new Uint8Array(3) }));
    const points = await loadIdx(data);
    expect(points.itemShape).toEqual([3]);
    expect(Array.from(points.values)).toEqual([1, 2, 3, 4, 5, 6.5]);
    expect((await failure(loadIdx(data, { labels }))).message).toBe(
      `loadIdx (${labels}): expected integer labels of shape [2], found uint8 [3]`,
    );
  });
});
