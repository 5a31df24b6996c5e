import { VaeError } from '@vae/divergence';
import type { Checkpoint } from './checkpoint.js';
import { checkCheckpointHeader, weightBytesOf } from './internal/checkpoint-schema.js';

// Layout: MAGIC (8 bytes) | header length (uint32 LE) | header JSON (UTF-8) |
// weight data | CRC-32 of everything before it (uint32 LE).
const MAGIC = [0x56, 0x41, 0x45, 0x43, 0x4b, 0x50, 0x54, 0x01]; // "VAECKPT" 1

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Serializes a checkpoint to one self-checking byte array (magic, JSON header,
 * weights, CRC-32), for stores that hold bytes (files, IndexedDB, S3).
 *
 * @param checkpoint - The checkpoint to serialize (not modified).
 * @returns A new byte array.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { decodeCheckpoint, encodeCheckpoint, fit, memoryCheckpointStore } from '@vae/trainer';
 *
 * const w = tf.variable(tf.zeros([2]));
 * const store = memoryCheckpointStore();
 * await fit({ trainableVariables: [w] }, tf.ones([8, 2]), {
 *   loss: (x) => tf.mean(tf.square(tf.sub(x, w))),
 *   checkpoint: { store },
 * });
 * const checkpoint = (await store.load())!;
 * const bytes = encodeCheckpoint(checkpoint);
 * const again = decodeCheckpoint(bytes); // same state and weights
 * console.log(again.state.step === checkpoint.state.step); // -> true
 * ```
 */
export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const header = new TextEncoder().encode(
    JSON.stringify({
      format: checkpoint.format,
      version: checkpoint.version,
      state: checkpoint.state,
      ...(checkpoint.modelTopology === undefined
        ? {}
        : { modelTopology: checkpoint.modelTopology }),
      weightSpecs: checkpoint.weightSpecs,
      weightBytes: checkpoint.weightData.byteLength,
    }),
  );
  const total = MAGIC.length + 4 + header.length + checkpoint.weightData.byteLength + 4;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(MAGIC.length, header.length, true);
  bytes.set(header, MAGIC.length + 4);
  bytes.set(new Uint8Array(checkpoint.weightData), MAGIC.length + 4 + header.length);
  view.setUint32(total - 4, crc32(bytes.subarray(0, total - 4)), true);
  return bytes;
}

function corrupt(source: string, why: string): VaeError {
  return new VaeError('CHECKPOINT_CORRUPT', `decodeCheckpoint: ${source} is corrupt: ${why}`);
}

/**
 * Parses bytes written by {@link encodeCheckpoint}, checking the magic, the
 * lengths and the CRC-32.
 *
 * @param bytes - What {@link encodeCheckpoint} wrote.
 * @param source - Names the bytes in error messages (a file path, a key).
 * @returns The checkpoint, which shares no memory with `bytes`.
 * @throws `VaeError('CHECKPOINT_CORRUPT')` when anything does not check out.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { readFile } from 'node:fs/promises';
 * import { fit } from '@vae/trainer';
 * import { decodeCheckpoint } from '@vae/trainer';
 * import { fileCheckpointStore } from '@vae/trainer/node';
 *
 * const w = tf.variable(tf.zeros([2]));
 * await fit({ trainableVariables: [w] }, tf.ones([8, 2]), {
 *   loss: (x) => tf.mean(tf.square(tf.sub(x, w))),
 *   checkpoint: { store: fileCheckpointStore('run.ckpt') },
 * });
 * const checkpoint = decodeCheckpoint(await readFile('run.ckpt'), 'run.ckpt');
 * console.log(checkpoint.state.step); // -> 1
 * ```
 */
export function decodeCheckpoint(bytes: Uint8Array, source = 'the checkpoint'): Checkpoint {
  const minimum = MAGIC.length + 8;
  if (bytes.length < minimum) throw corrupt(source, `${bytes.length} bytes is too short`);
  if (!MAGIC.every((b, i) => bytes[i] === b)) throw corrupt(source, 'not a vae checkpoint');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stored = view.getUint32(bytes.length - 4, true);
  const actual = crc32(bytes.subarray(0, bytes.length - 4));
  if (stored !== actual) {
    throw corrupt(
      source,
      `CRC-32 mismatch (stored ${stored}, computed ${actual}); truncated or damaged`,
    );
  }
  const headerLength = view.getUint32(MAGIC.length, true);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > bytes.length - 4) throw corrupt(source, 'header runs past the end');
  let header: Omit<Checkpoint, 'weightData'> & { weightBytes: number };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, headerEnd)));
  } catch (error) {
    throw corrupt(source, `header is not JSON (${String(error)})`);
  }
  checkCheckpointHeader(header, source);
  const described = weightBytesOf(header.weightSpecs);
  if (header.weightBytes !== described || headerEnd + described !== bytes.length - 4) {
    throw corrupt(
      source,
      `the weight specs describe ${described} bytes, the file holds ${bytes.length - 4 - headerEnd}`,
    );
  }
  // A copy into a fresh buffer: `bytes` may be a view (a Node Buffer from a pool, whose
  // `slice` does not copy), and the weights must start at offset 0 of their own buffer.
  const weights = new Uint8Array(described);
  weights.set(bytes.subarray(headerEnd, headerEnd + described));
  const weightData = weights.buffer;
  return {
    format: header.format,
    version: header.version,
    state: header.state,
    ...(header.modelTopology === undefined ? {} : { modelTopology: header.modelTopology }),
    weightSpecs: header.weightSpecs,
    weightData,
  };
}
