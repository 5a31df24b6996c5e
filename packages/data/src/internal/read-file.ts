import { readFile, stat } from 'node:fs/promises';
import { VaeError } from '@vae/divergence';

/**
 * The bytes of the file at `path`, after checking on its size that it holds at most
 * `maxBytes` (so nothing larger is ever read). Node only.
 *
 * @throws `VaeError('DATA_CORRUPT')` naming `name` and the path when the file cannot be
 *   read or is larger than `maxBytes`.
 */
export async function readBoundedFile(
  path: string,
  limits: { name: string; maxBytes: number },
): Promise<Uint8Array> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch (error) {
    throw new VaeError('DATA_CORRUPT', `${limits.name}: cannot read ${path}: ${String(error)}`, {
      cause: error,
    });
  }
  if (size > limits.maxBytes) {
    throw new VaeError(
      'DATA_CORRUPT',
      `${limits.name}: ${path} has ${size} bytes, more than maxBytes = ${limits.maxBytes}; pass a larger \`maxBytes\` if the file is genuine`,
    );
  }
  return readFile(path);
}
