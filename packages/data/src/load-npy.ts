import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { ensureArgument, formatShape, VaeError } from '@vae/divergence';
import { type Dataset, fromArray } from './dataset.js';
import { npyCorrupt, npyPreamble } from './internal/npy-header.js';
import { DEFAULT_MAX_BYTES } from './limits.js';
import { checkNpyBody, type NpyArray, npyValues, readNpyHeader } from './parse-npy.js';

/** Options of {@link loadNpy}. */
export interface LoadNpyOptions {
  /** A `.npy` of integer labels, shape `[n]`, one per example of the data file. */
  labels?: string;
  /** The most bytes the values of one file may take (default `DEFAULT_MAX_BYTES`, 1 GiB). */
  maxBytes?: number;
}

async function readAt(
  file: Awaited<ReturnType<typeof open>>,
  range: { position: number; length: number },
): Promise<Uint8Array> {
  const out = new Uint8Array(range.length);
  const { bytesRead } = await file.read(out, 0, range.length, range.position);
  return out.subarray(0, bytesRead);
}

/**
 * Reads one `.npy` file without ever allocating more than its header allows: the
 * header length and the value bytes are bounded before the body is read.
 */
export async function readNpyFile(path: string, maxBytes: number): Promise<NpyArray> {
  const name = `loadNpy (${path})`;
  let file: Awaited<ReturnType<typeof open>>;
  try {
    // Not blocking: opening a FIFO named like the file would wait for a writer.
    file = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new VaeError('DATA_CORRUPT', `${name}: cannot read the file: ${String(error)}`, {
      cause: error,
    });
  }
  try {
    const info = await file.stat();
    if (!info.isFile()) throw new VaeError('DATA_CORRUPT', `${name}: not a regular file`);
    const { size } = info;
    const { start, length } = npyPreamble(await readAt(file, { position: 0, length: 12 }), name);
    const head = await readAt(file, { position: 0, length: start + length });
    const header = readNpyHeader(head, { name, maxBytes });
    checkNpyBody(header, size - header.dataOffset, name);
    const body = await readAt(file, { position: header.dataOffset, length: header.dataBytes });
    checkNpyBody(header, body.length, name);
    return {
      dtype: header.dtype,
      shape: header.shape,
      data: npyValues(header, body, { name, owned: true }),
    };
  } finally {
    await file.close();
  }
}

async function readLabels(path: string, size: number, maxBytes: number): Promise<number[]> {
  const labels = await readNpyFile(path, maxBytes);
  if (labels.shape.length !== 1 || labels.shape[0] !== size || labels.dtype.startsWith('float')) {
    throw npyCorrupt(
      `loadNpy (${path})`,
      `expected integer labels of shape [${size}], found ${labels.dtype} ${formatShape(labels.shape)}`,
    );
  }
  return Array.from(labels.data);
}

/**
 * Loads a NumPy `.npy` file as a {@link Dataset} in Node: shape `[n, ...itemShape]`
 * kept as it is (`[n]` becomes `[n, 1]`). uint8 files stay 8-bit (level k meaning
 * k / 255, so `dequantize` applies); every other dtype becomes float32 with its values
 * unchanged. Reading is bounded: the header length by `MAX_NPY_HEADER_BYTES` and the
 * values by `maxBytes`, both checked before the body is read.
 *
 * @param path - A NumPy `.npy` file (format versions 1 to 3).
 * @param options - `labels` (the path of a `.npy` of labels `[n]`) and `maxBytes` (see {@link LoadNpyOptions}).
 * @throws `VaeError('DATA_CORRUPT')` naming the file on an unsupported dtype, a
 *   truncated file, a size above the bounds, non-finite values or labels that do not
 *   match.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { loadNpy } from '@vae/data/node';
 *
 * const header = "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }";
 * const bytes = new Uint8Array(128 + 6).fill(7);
 * bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 118, 0]);
 * bytes.set(new TextEncoder().encode(header.padEnd(117, ' ') + '\n'), 10);
 * const path = join(tmpdir(), 'example.npy');
 * writeFileSync(path, bytes);
 * const data = await loadNpy(path);
 * console.log(data.itemShape, data.values); // -> [ 3 ] Uint8Array(6) [ 7, 7, 7, 7, 7, 7 ]
 * ```
 */
export async function loadNpy(path: string, options: LoadNpyOptions = {}): Promise<Dataset> {
  const { maxBytes = DEFAULT_MAX_BYTES } = options;
  ensureArgument(
    Number.isInteger(maxBytes) && maxBytes > 0,
    () => `loadNpy: \`maxBytes\` must be a positive integer, got ${maxBytes}`,
  );
  const array = await readNpyFile(path, maxBytes);
  const shape = array.shape.length === 1 ? [array.shape[0]!, 1] : array.shape;
  if (shape.some((d) => d === 0)) {
    throw npyCorrupt(
      `loadNpy (${path})`,
      `expected at least one example with values, found shape ${formatShape(array.shape)}`,
    );
  }
  const labels =
    options.labels === undefined
      ? undefined
      : await readLabels(options.labels, shape[0]!, maxBytes);
  try {
    return fromArray(array.data, shape, labels === undefined ? {} : { labels });
  } catch (error) {
    if (!VaeError.isInstance(error)) throw error;
    throw new VaeError('DATA_CORRUPT', `loadNpy (${path}): ${error.message}`, { cause: error });
  }
}
