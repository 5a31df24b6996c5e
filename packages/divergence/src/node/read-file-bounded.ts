/// <reference types="node" />
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * What {@link readFileBounded} found: the bytes, or why it read none.
 *
 * @example
 * ```ts
 * import type { BoundedRead } from '@vae/divergence/node';
 * const found: BoundedRead = { problem: 'too-large', size: 5e9 };
 * console.log(found.problem); // -> too-large
 * ```
 */
export type BoundedRead =
  | {
      /** None: the file was read. */
      problem: undefined;
      /** The file's contents (a new buffer the caller owns). */
      bytes: Uint8Array;
    }
  | {
      /** Nothing at the path (or a folder on the way is a file). */
      problem: 'missing';
    }
  | {
      /** A folder, a FIFO, a device or a socket: nothing a file format is read from. */
      problem: 'not-a-file';
    }
  | {
      /** A regular file larger than allowed. */
      problem: 'too-large';
      /** Its size in bytes. */
      size: number;
    };

/**
 * Reads a file only when it is a regular file of at most `maxBytes`, so that
 * what a loader reads is bounded before anything is allocated: a FIFO put in
 * the file's place is refused without waiting for a writer (the open does not
 * block), `/dev/zero` without reading forever, and a larger file without
 * reading it. The size is taken from the open file, not from the path.
 *
 * @param path - The file.
 * @param limits - `maxBytes`: the largest size read.
 * @returns The bytes (a new buffer the caller owns), or the problem found.
 * @throws The OS's error for anything else (permission denied, I/O errors).
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { readFileBounded } from '@vae/divergence/node';
 *
 * const path = join(mkdtempSync(join(tmpdir(), 'bounded-')), 'config.json');
 * writeFileSync(path, '{"epochs": 10}');
 * const found = await readFileBounded(path, { maxBytes: 1024 });
 * console.log(found.problem === undefined ? found.bytes.length : found.problem); // -> 14
 * console.log((await readFileBounded(path, { maxBytes: 4 })).problem); // -> too-large
 * console.log((await readFileBounded('/dev/zero', { maxBytes: 4 })).problem); // -> not-a-file
 * ```
 */
export async function readFileBounded(
  path: string,
  limits: { maxBytes: number },
): Promise<BoundedRead> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NONBLOCK (0 where the platform has none): opening a FIFO waits for a writer.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { problem: 'missing' };
    if (code === 'EISDIR') return { problem: 'not-a-file' };
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { problem: 'not-a-file' };
    if (info.size > limits.maxBytes) return { problem: 'too-large', size: info.size };
    const bytes = new Uint8Array(info.size);
    let read = 0;
    while (read < bytes.length) {
      const { bytesRead } = await handle.read(bytes, read, bytes.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return { problem: undefined, bytes: read === bytes.length ? bytes : bytes.subarray(0, read) };
  } finally {
    await handle.close();
  }
}
