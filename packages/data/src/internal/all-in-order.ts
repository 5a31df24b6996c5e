/**
 * `Promise.all` for reading several files: waits for every promise and, when some fail,
 * throws the first failure in argument order rather than the first in time, so the
 * error a user sees names the same file on every run.
 */
export async function allInOrder<T extends readonly unknown[]>(
  promises: {
    readonly [K in keyof T]: Promise<T[K]>;
  },
): Promise<T> {
  const results = await Promise.allSettled(promises as readonly Promise<unknown>[]);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
