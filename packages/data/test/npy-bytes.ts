// Writes .npy files byte by byte for the tests (no NumPy, no parser of ours involved).

export type Descr =
  | '|u1'
  | '|i1'
  | '<u2'
  | '>u2'
  | '<i2'
  | '>i2'
  | '<i4'
  | '>i4'
  | '<i8'
  | '>i8'
  | '<f4'
  | '>f4'
  | '<f8'
  | '>f8';

const SIZES: Record<string, number> = { u1: 1, i1: 1, u2: 2, i2: 2, i4: 4, i8: 8, f4: 4, f8: 8 };

/** The header dict as NumPy writes it, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`. */
export function headerText(descr: string, shape: readonly number[], fortran = false): string {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  return `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${dims}, }`;
}

/** Magic, version, header length and the header padded with spaces and a newline to 64 bytes. */
export function preamble(text: string, version: 1 | 2 = 1): Uint8Array {
  const start = version === 1 ? 10 : 12;
  const total = Math.ceil((start + text.length + 1) / 64) * 64;
  const out = new Uint8Array(total);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, total - start, true);
  else view.setUint32(8, total - start, true);
  out.set(new TextEncoder().encode(`${text.padEnd(total - start - 1, ' ')}\n`), start);
  return out;
}

/**
 * A whole .npy file: `values` are in the file's own order (Fortran order when
 * `fortran`), written in `descr`'s type and byte order.
 */
export function npyFile(
  descr: Descr,
  shape: readonly number[],
  options: { values: readonly number[]; fortran?: boolean; version?: 1 | 2 },
): Uint8Array {
  const head = preamble(headerText(descr, shape, options.fortran), options.version);
  const size = SIZES[descr.slice(1)]!;
  const little = descr[0] !== '>';
  const out = new Uint8Array(head.length + size * options.values.length);
  out.set(head);
  const view = new DataView(out.buffer, head.length);
  const write: Record<string, (at: number, v: number) => void> = {
    u1: (at, v) => view.setUint8(at, v),
    i1: (at, v) => view.setInt8(at, v),
    u2: (at, v) => view.setUint16(at, v, little),
    i2: (at, v) => view.setInt16(at, v, little),
    i4: (at, v) => view.setInt32(at, v, little),
    i8: (at, v) => view.setBigInt64(at, BigInt(v), little),
    f4: (at, v) => view.setFloat32(at, v, little),
    f8: (at, v) => view.setFloat64(at, v, little),
  };
  const set = write[descr.slice(1)]!;
  options.values.forEach((v, i) => {
    set(i * size, v);
  });
  return out;
}
