import { type BoundedRead, readFileBounded } from '@vae/divergence/node';

/** What {@link readSmallText} found: the text, or `readFileBounded`'s reason for reading none. */
export type SmallText =
  | { problem: undefined; text: string }
  | Exclude<BoundedRead, { problem: undefined }>;

/**
 * One of the small files a run folder holds (config.json, metrics.jsonl,
 * eval.progress.json, ...), read by `readFileBounded` only when it is a regular
 * file of at most `maxBytes` and decoded as UTF-8: a FIFO or a device put in its
 * place is refused without waiting on it, and a larger file is never read.
 * Other errors (permissions) are thrown as the OS gave them.
 */
export async function readSmallText(path: string, maxBytes: number): Promise<SmallText> {
  const found = await readFileBounded(path, { maxBytes });
  if (found.problem !== undefined) return found;
  return { problem: undefined, text: Buffer.from(found.bytes).toString('utf8') };
}

/**
 * The text of a small file whose absence, size or damage only means a fallback
 * (a cached figure, a lock's owner): undefined when it cannot be read at all.
 */
export async function readSmallTextIfAny(
  path: string,
  maxBytes: number,
): Promise<string | undefined> {
  try {
    const found = await readSmallText(path, maxBytes);
    return found.problem === undefined ? found.text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The JSON value of a small file whose absence or damage only means a fallback
 * (a clock, a manifest, a cached evaluation): undefined when it cannot be read
 * or is not JSON. The caller checks the value's shape.
 */
export async function readSmallJsonIfAny(path: string, maxBytes: number): Promise<unknown> {
  const text = await readSmallTextIfAny(path, maxBytes);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
