import { VaeError } from '@vae/divergence';
import { readFileBounded } from '@vae/divergence/node';

/**
 * The bytes of the file at `path`, read only when it is a regular file of at most
 * `maxBytes` (so nothing larger, and no FIFO or device, is ever read). Node only.
 *
 * @throws `VaeError('DATA_CORRUPT')` naming `name` and the path when the file is
 *   missing, not a regular file or larger than `maxBytes`.
 */
export async function readBoundedFile(
  path: string,
  limits: { name: string; maxBytes: number },
): Promise<Uint8Array> {
  let found: Awaited<ReturnType<typeof readFileBounded>>;
  try {
    found = await readFileBounded(path, { maxBytes: limits.maxBytes });
  } catch (error) {
    throw new VaeError('DATA_CORRUPT', `${limits.name}: cannot read ${path}: ${String(error)}`, {
      cause: error,
    });
  }
  switch (found.problem) {
    case undefined:
      return found.bytes;
    case 'missing':
      throw new VaeError('DATA_CORRUPT', `${limits.name}: cannot read ${path}: no such file`);
    case 'not-a-file':
      throw new VaeError('DATA_CORRUPT', `${limits.name}: cannot read ${path}: not a file`);
    case 'too-large':
      throw new VaeError(
        'DATA_CORRUPT',
        `${limits.name}: ${path} has ${found.size} bytes, more than maxBytes = ${limits.maxBytes}; pass a larger \`maxBytes\` if the file is genuine`,
      );
  }
}
