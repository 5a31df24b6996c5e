import { ensureArgument, formatShape, VaeError } from '@vae/divergence';
import { gunzipChunks, isGzip, streamChunks } from './internal/gunzip.js';
import { type IdxHeader, readIdxHeader } from './internal/idx-header.js';
import { DEFAULT_MAX_BYTES } from './limits.js';
import { decodeIdx, type IdxArray } from './parse-idx.js';

/** Options of {@link readIdx}. */
export interface ReadIdxOptions {
  /**
   * The most bytes the (inflated) file may have (default {@link DEFAULT_MAX_BYTES},
   * 1 GiB). A header announcing more is rejected before anything is allocated.
   */
  maxBytes?: number;
  /** What to call the file in error messages (default `'readIdx'`), e.g. `'loadMnist (path)'`. */
  name?: string;
}

type Input = Uint8Array | ArrayBuffer | ReadableStream<Uint8Array>;

function corrupt(name: string, message: string, cause?: unknown): VaeError {
  return new VaeError('DATA_CORRUPT', `${name}: ${message}`, { cause });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

async function* chain(
  head: Uint8Array,
  rest: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  if (head.length > 0) yield head;
  try {
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await rest.return?.();
  }
}

/** The file's own bytes: gzip, detected on the first two bytes, inflated as it arrives. */
async function plainChunks(
  source: AsyncIterable<Uint8Array>,
  name: string,
): Promise<AsyncIterable<Uint8Array>> {
  const iterator = source[Symbol.asyncIterator]();
  let head: Uint8Array = new Uint8Array(0);
  while (head.length < 2) {
    const next = await iterator.next();
    if (next.done) break;
    head = concat(head, next.value);
  }
  const all = chain(head, iterator);
  return isGzip(head) ? gunzipChunks(all, name) : all;
}

/** The header's size, checked against `maxBytes` before the buffer for it is allocated. */
function checkSize(header: IdxHeader, limits: { name: string; maxBytes: number }): void {
  if (header.totalBytes > limits.maxBytes) {
    throw corrupt(
      limits.name,
      `the header announces ${header.dtype} values of shape ${formatShape(header.shape)}, ${header.totalBytes} bytes, more than maxBytes = ${limits.maxBytes}; pass a larger \`maxBytes\` if the file is genuine`,
    );
  }
}

/**
 * Reads the chunks into one buffer of exactly the size the header announces, stopping
 * (which cancels the source) as soon as the bytes exceed that size or `maxBytes`.
 */
async function collect(
  chunks: AsyncIterable<Uint8Array>,
  limits: { name: string; maxBytes: number },
): Promise<Uint8Array> {
  let head: Uint8Array = new Uint8Array(0);
  let header: IdxHeader | undefined;
  let out: Uint8Array = new Uint8Array(0);
  let received = 0;
  for await (let chunk of chunks) {
    if (header === undefined) {
      head = concat(head, chunk);
      header = readIdxHeader(head, false);
      if (header === undefined) continue;
      checkSize(header, limits);
      out = new Uint8Array(header.totalBytes);
      chunk = head;
    }
    if (received + chunk.length > header.totalBytes) {
      throw corrupt(
        limits.name,
        `expected ${header.totalBytes} bytes for ${header.dtype} values of shape ${formatShape(header.shape)}, found more (stopped after ${received + chunk.length} bytes: trailing data or a decompression bomb)`,
      );
    }
    out.set(chunk, received);
    received += chunk.length;
  }
  if (header === undefined) readIdxHeader(head, true);
  return out.subarray(0, received);
}

/**
 * Reads an IDX file, raw or gzip-compressed, from bytes or a stream (a `fetch`
 * response body, a picked `File`'s `stream()`). Gzip is inflated as it arrives (fflate,
 * 4 KiB of compressed input at a time), and reading stops, cancelling the stream, as
 * soon as the output passes the size the IDX header announces (or `maxBytes`, checked
 * on the header before the values are allocated): a small gzip of gigabytes of zeros is
 * rejected after its first few megabytes, not inflated whole.
 *
 * @param input - The file's bytes, or a stream of them (a `fetch` body, a file's stream),
 *   raw or gzip (detected from the first bytes).
 * @param options - `name` (for messages) and `maxBytes` (see {@link ReadIdxOptions}).
 * @returns the element type, the dimensions and the values (owned by the caller).
 * @throws `VaeError('DATA_CORRUPT')` naming `options.name` on a malformed header, a
 *   size above `maxBytes`, a truncated body, trailing data or invalid gzip.
 *
 * @example
 * ```ts
 * import { encodeIdx, readIdx } from '@vae/data';
 *
 * const bytes = encodeIdx({ dtype: 'uint8', shape: [2, 2], data: new Uint8Array([0, 9, 9, 0]) });
 * const stream = new Blob([new Uint8Array(bytes)]).stream().pipeThrough(new CompressionStream('gzip'));
 * const { shape } = await readIdx(stream, { name: 'tiny.idx.gz' });
 * console.log(shape); // -> [ 2, 2 ]
 * ```
 */
export async function readIdx(input: Input, options: ReadIdxOptions = {}): Promise<IdxArray> {
  const { maxBytes = DEFAULT_MAX_BYTES, name = 'readIdx' } = options;
  ensureArgument(
    Number.isInteger(maxBytes) && maxBytes > 0,
    () => `readIdx: \`maxBytes\` must be a positive integer, got ${maxBytes}`,
  );
  const limits = { name, maxBytes };
  try {
    if (!(input instanceof Uint8Array || input instanceof ArrayBuffer)) {
      const chunks = await plainChunks(streamChunks(input), name);
      return decodeIdx(await collect(chunks, limits), false);
    }
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    if (isGzip(bytes)) return decodeIdx(await collect(gunzipChunks([bytes], name), limits), false);
    const header = readIdxHeader(bytes, false);
    if (header !== undefined) checkSize(header, limits);
    return decodeIdx(bytes, true);
  } catch (error) {
    throw named(name, error);
  }
}

/** `error` as a `DATA_CORRUPT` whose message starts with `name`. */
function named(name: string, error: unknown): VaeError {
  if (!VaeError.isInstance(error)) {
    return corrupt(name, `could not read the data: ${String(error)}`, error);
  }
  return error.message.startsWith(`${name}: `) ? error : corrupt(name, error.message, error);
}
