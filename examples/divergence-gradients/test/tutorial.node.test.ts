import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { gradientsRegistered } from '@vae/divergence';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitNormal, klNormalGradients } from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('divergences and gradients with @vae/divergence alone', () => {
  it('takes gradients of the closed-form KL after ensureGradients(), matching the formula and finite differences', async () => {
    const before = tf.memory().numTensors;
    const g = await klNormalGradients(1, 2);
    expect(gradientsRegistered()).toBe(true);
    // d/dloc = loc = 1, d/dscale = scale - 1/scale = 1.5.
    expect(g.formula).toEqual([1, 1.5]);
    for (const i of [0, 1]) {
      expect(g.autodiff[i]).toBeCloseTo(g.formula[i]!, 5);
      // float32 central differences with h = 1e-2: error ~1e-4.
      expect(Math.abs(g.finiteDifferences[i]! - g.formula[i]!)).toBeLessThan(2e-3);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('forward KL covers both modes, reverse KL locks onto one', async () => {
    const before = tf.memory().numTensors;
    const forward = await fitNormal('forward');
    const reverse = await fitNormal('reverse');
    // Forward: moment matching, loc -> 0 and scale -> sqrt(2² + 0.5²) = 2.06.
    expect(Math.abs(forward.loc)).toBeLessThan(0.2);
    expect(forward.scale).toBeGreaterThan(1.8);
    expect(forward.scale).toBeLessThan(2.2);
    // Reverse: the mode nearer the start (1), with about its own scale 0.5; KL ~ log 2.
    expect(Math.abs(reverse.loc - 2)).toBeLessThan(0.1);
    expect(Math.abs(reverse.scale - 0.5)).toBeLessThan(0.1);
    expect(Math.abs(reverse.divergence - Math.LN2)).toBeLessThan(0.05);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs as the README says (`start`), printing the three parts', () => {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--conditions=@vae/source', 'src/main.ts'],
      { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
    );
    expect(out).toMatch(/KL\(p \|\| q\)\s+0\.2442/);
    expect(out).toMatch(/autodiff \(tf\.grads\)\s+1\.0000, 1\.5000/);
    expect(out).toMatch(/picks one\s+loc\s+2\.0\d/);
  });
});
