// liftBrowserCoreCount: what `navigator.hardwareConcurrency` reports while the wasm
// backend starts in a browser (tfjs's threaded build runs half of it). Node 20 has no
// `navigator`, so each test puts one on globalThis, shaped as a browser's: the
// property is a getter on the prototype, not on the object.
import { afterEach, describe, expect, it } from 'vitest';
import { liftBrowserCoreCount } from '../src/internal/tfjs-internals.js';

const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');

function fakeNavigator(cores: number): { hardwareConcurrency: number } {
  class Navigator {
    get hardwareConcurrency(): number {
      return cores;
    }
  }
  const navigator = new Navigator();
  Object.defineProperty(globalThis, 'navigator', { configurable: true, value: navigator });
  return navigator;
}

afterEach(() => {
  if (original === undefined) delete (globalThis as { navigator?: unknown }).navigator;
  else Object.defineProperty(globalThis, 'navigator', original);
});

describe('liftBrowserCoreCount', () => {
  it('reports twice the threads asked while lifted, then the real count again', () => {
    const navigator = fakeNavigator(2);
    const restore = liftBrowserCoreCount(3);
    expect(navigator.hardwareConcurrency).toBe(6);
    restore();
    expect(navigator.hardwareConcurrency).toBe(2);
    expect(Object.hasOwn(navigator, 'hardwareConcurrency')).toBe(false);
  });

  it('leaves a machine with enough cores alone', () => {
    const navigator = fakeNavigator(16);
    const restore = liftBrowserCoreCount(8);
    expect(navigator.hardwareConcurrency).toBe(16);
    expect(Object.hasOwn(navigator, 'hardwareConcurrency')).toBe(false);
    restore();
    expect(navigator.hardwareConcurrency).toBe(16);
  });

  it('puts back an own property as it was', () => {
    const navigator = fakeNavigator(1);
    Object.defineProperty(navigator, 'hardwareConcurrency', { configurable: true, value: 1 });
    const restore = liftBrowserCoreCount(2);
    expect(navigator.hardwareConcurrency).toBe(4);
    restore();
    expect(Object.getOwnPropertyDescriptor(navigator, 'hardwareConcurrency')).toEqual({
      configurable: true,
      enumerable: false,
      writable: false,
      value: 1,
    });
  });

  it('does nothing without a navigator', () => {
    delete (globalThis as { navigator?: unknown }).navigator;
    expect(() => liftBrowserCoreCount(2)()).not.toThrow();
    expect((globalThis as { navigator?: unknown }).navigator).toBeUndefined();
  });
});
