// Reading two files at once, the error a user sees must not depend on which read failed
// first in time: a missing folder names the images file on every run.
import { describe, expect, it } from 'vitest';
import { allInOrder } from '../src/internal/all-in-order.js';

const after = <T>(ms: number, settle: () => T) =>
  new Promise<T>((resolve, reject) =>
    setTimeout(() => {
      try {
        resolve(settle());
      } catch (error) {
        reject(error);
      }
    }, ms),
  );
const fail = (message: string) => () => {
  throw new Error(message);
};

describe('allInOrder', () => {
  it('gives the values in argument order', async () => {
    expect(await allInOrder([after(20, () => 1), after(1, () => 'two')])).toEqual([1, 'two']);
  });

  it('throws the first failure in argument order, even when a later one fails sooner', async () => {
    const slowFirst = allInOrder([after(30, fail('images')), after(1, fail('labels'))]);
    await expect(slowFirst).rejects.toThrow('images');
    const onlySecond = allInOrder([after(1, () => 1), after(10, fail('labels'))]);
    await expect(onlySecond).rejects.toThrow('labels');
  });
});
