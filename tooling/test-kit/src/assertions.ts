import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** Tolerances for {@link expectClose}: |a - e| <= atol + rtol * |e|. */
export interface Tolerance {
  rtol?: number;
  atol?: number;
}

/** float32 defaults: about 1e-4 relative after a few ops. */
export const FLOAT32: Required<Tolerance> = { rtol: 1e-4, atol: 1e-5 };

/**
 * The tolerance to use on the backend running now: `base` unchanged on `cpu`
 * and `wasm` (IEEE float32); 10x looser on WebGL/WebGPU (shader `exp`/`log`
 * and reductions are less exact); and at least 1e-2 relative / 1e-3 absolute
 * where WebGL renders in float16 (`WEBGL_RENDER_FLOAT32_ENABLED` false, some
 * mobile GPUs). {@link expectClose} applies it, so tests state one tolerance.
 *
 * @example
 * expect(Math.abs(estimate - exact)).toBeLessThan(backendTolerance({ atol: 1e-3 }).atol);
 */
export function backendTolerance(base: Tolerance = {}): Required<Tolerance> {
  const { rtol, atol } = { ...FLOAT32, ...base };
  const backend = tf.getBackend();
  if (backend !== 'webgl' && backend !== 'webgpu') return { rtol, atol };
  if (backend === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')) {
    return { rtol: Math.max(rtol, 1e-2), atol: Math.max(atol, 1e-3) };
  }
  return { rtol: rtol * 10, atol: atol * 10 };
}

function toArray(value: tf.Tensor | number | readonly number[]): number[] {
  if (value instanceof tf.Tensor) return Array.from(value.dataSync());
  return typeof value === 'number' ? [value] : [...value];
}

/**
 * Asserts elementwise closeness, treating equal infinities and NaN-vs-NaN as equal.
 * Reports the worst index so a failure is easy to read. The tolerance is
 * widened on GPU backends by {@link backendTolerance} (unchanged on cpu and wasm).
 */
export function expectClose(
  actual: tf.Tensor | number | readonly number[],
  expected: tf.Tensor | number | readonly number[],
  tolerance: Tolerance = {},
): void {
  const { rtol, atol } = backendTolerance(tolerance);
  const a = toArray(actual);
  const e = toArray(expected);
  expect(a.length, 'element count').toBe(e.length);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    const ei = e[i]!;
    if (Number.isNaN(ei)) {
      expect(ai, `index ${i}`).toBeNaN();
    } else if (!Number.isFinite(ei)) {
      expect(ai, `index ${i}`).toBe(ei);
    } else {
      const bound = atol + rtol * Math.abs(ei);
      if (!(Math.abs(ai - ei) <= bound)) {
        expect.fail(
          `index ${i}: got ${ai}, expected ${ei} (|diff| ${Math.abs(ai - ei)} > ${bound})`,
        );
      }
    }
  }
}

/**
 * The float32 bit patterns of a tensor's values (so -0 and NaN payloads count): for
 * asserting that two computations give the same floats to the bit.
 */
export function float32Bits(t: tf.Tensor): number[] {
  return Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));
}

/**
 * Runs `fn` and asserts that it left no tensor behind: `tf.memory().numTensors`
 * is the same before and after, once the returned tensors are disposed.
 */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  tf.dispose(result as tf.TensorContainer);
  expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
  return result;
}

/**
 * Asserts the ownership rule on `object`: reading any getter on its prototype chain
 * (below `Object.prototype`) leaves `tf.memory().numTensors` as it was. A getter may
 * return a tensor the object holds, or throw, but never allocate one. Returns the
 * getter names it read, so a caller can check the walk found what it expected.
 */
export function expectGettersDoNotAllocate(object: object, label: string): string[] {
  const names = new Set<string>();
  for (let proto = Object.getPrototypeOf(object); proto !== Object.prototype; ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (Object.getOwnPropertyDescriptor(proto, name)?.get !== undefined) names.add(name);
    }
    proto = Object.getPrototypeOf(proto);
  }
  for (const name of names) {
    const before = tf.memory().numTensors;
    try {
      Reflect.get(object, name);
    } catch {
      // A getter may throw (a member the object lacks); it still must not allocate.
    }
    expect(tf.memory().numTensors, `${label}.${name}`).toBe(before);
  }
  return [...names];
}

/**
 * Central finite-difference gradient of a host (float64) function of a vector:
 * for checking a tensor gradient against a closed form written in plain numbers.
 * A step of about 1e-6 suits float64.
 */
export function hostNumericGradient(
  f: (values: number[]) => number,
  at: readonly number[],
  step = 1e-6,
): number[] {
  return at.map((_, i) => {
    const plus = [...at];
    const minus = [...at];
    plus[i]! += step;
    minus[i]! -= step;
    return (f(plus) - f(minus)) / (2 * step);
  });
}

/**
 * Central finite-difference gradient of a scalar function, computed in float64
 * on the host from float32 evaluations; use a step of about 1e-2..1e-3.
 */
export function numericGradient(
  f: (x: tf.Tensor) => tf.Scalar,
  x: tf.Tensor,
  step = 1e-2,
): number[] {
  const base = Array.from(x.dataSync());
  return base.map((_, i) => {
    const plus = [...base];
    const minus = [...base];
    plus[i]! += step;
    minus[i]! -= step;
    const up = tf.tidy(() => f(tf.tensor(plus, x.shape)).dataSync()[0]!);
    const down = tf.tidy(() => f(tf.tensor(minus, x.shape)).dataSync()[0]!);
    return (up - down) / (2 * step);
  });
}
