import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeIdx, fetchMnist, VaeError } from '../src/index.js';

const images = encodeIdx({
  dtype: 'uint8',
  shape: [3, 2, 2],
  data: Uint8Array.from({ length: 12 }, (_, i) => i * 20),
});
const labels = encodeIdx({ dtype: 'uint8', shape: [3], data: Uint8Array.from([4, 1, 9]) });

function fakeFetch(files: Record<string, Uint8Array>): typeof fetch {
  return (async (url: string | URL) => {
    const body = files[String(url)];
    return body === undefined
      ? new Response('missing', { status: 404, statusText: 'Not Found' })
      : new Response(body as BodyInit);
  }) as typeof fetch;
}

describe('fetchMnist', () => {
  it('uses the global fetch by default, called on the global object as browsers require', async () => {
    const files: Record<string, Uint8Array> = { '/i': images, '/l': labels };
    const original = globalThis.fetch;
    // Browsers' fetch throws "Illegal invocation" when `this` is another object.
    globalThis.fetch = async function (this: unknown, url: string | URL | Request) {
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
      return new Response(files[String(url)] as BodyInit);
    } as typeof fetch;
    try {
      const dataset = await fetchMnist({ images: '/i', labels: '/l' });
      expect(Array.from(dataset.labels)).toEqual([4, 1, 9]);
    } finally {
      globalThis.fetch = original;
    }
  });

  it('downloads raw IDX files and keeps the pixels as 8-bit levels', async () => {
    const dataset = await fetchMnist({
      images: '/i',
      labels: '/l',
      fetch: fakeFetch({ '/i': images, '/l': labels }),
    });
    expect(dataset.size).toBe(3);
    expect(Array.from(dataset.labels)).toEqual([4, 1, 9]);
    expect(dataset.itemShape).toEqual([2, 2, 1]);
    expect(dataset.values).toBeInstanceOf(Uint8Array);
    expect(dataset.values[11]).toBe(220);
  });

  it('inflates gzip files and applies the limit', async () => {
    const dataset = await fetchMnist({
      images: '/i.gz',
      labels: '/l.gz',
      limit: 2,
      fetch: fakeFetch({ '/i.gz': gzipSync(images), '/l.gz': gzipSync(labels) }),
    });
    expect(dataset.size).toBe(2);
    expect(dataset.values.length).toBe(8);
  });

  it('reports an HTTP error with the URL and status', async () => {
    const error = await fetchMnist({
      images: '/i',
      labels: '/nope',
      fetch: fakeFetch({ '/i': images }),
    }).catch((e: unknown) => e);
    expect(VaeError.isInstance(error) && error.code).toBe('DATA_CORRUPT');
    expect((error as Error).message).toBe(
      'fetchMnist: expected HTTP 200 for /nope, found 404 Not Found',
    );
  });
});
