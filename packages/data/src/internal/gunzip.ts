import { VaeError } from '@vae/divergence';
import { Gunzip } from 'fflate';

/**
 * Compressed bytes handed to the inflater at a time. Deflate expands at most ~1032:1,
 * so one step yields at most ~4 MB: reading stops within that of any limit.
 */
const INPUT_STEP = 4096;

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The chunks of a stream; stopping early (a `return` or a throw in the consumer)
 * cancels the stream, so nothing more is pulled from its source.
 */
export async function* streamChunks(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}

/**
 * Inflates gzip (one or more members) as its chunks arrive, with fflate, in steps of
 * {@link INPUT_STEP} compressed bytes, yielding output as it is made. The consumer
 * decides when to stop; nothing is inflated ahead of what it asked for but one step.
 *
 * @throws `VaeError('DATA_CORRUPT')` naming `name` when the data is not valid gzip.
 */
export async function* gunzipChunks(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  name: string,
): AsyncGenerator<Uint8Array> {
  const pending: Uint8Array[] = [];
  const gunzip = new Gunzip((data) => {
    pending.push(data);
  });
  const push = (chunk: Uint8Array, final: boolean) => {
    try {
      gunzip.push(chunk, final);
    } catch (error) {
      throw new VaeError(
        'DATA_CORRUPT',
        `${name}: not valid gzip data (${error instanceof Error ? error.message : String(error)})`,
        { cause: error },
      );
    }
  };
  for await (const chunk of source) {
    for (let at = 0; at < chunk.length; at += INPUT_STEP) {
      push(chunk.subarray(at, at + INPUT_STEP), false);
      while (pending.length > 0) yield pending.shift()!;
    }
  }
  push(new Uint8Array(0), true);
  while (pending.length > 0) yield pending.shift()!;
}
