// Part 1 of the tutorial: the Node script picks its backend from one argument, and
// prints the same numbers on each (up to float32 rounding).
import { describe, expect, it } from 'vitest';
import { parsePrinted, runScript } from './run-script.js';

/** Absolute agreement between backends, in nats (measured: 3e-6 between cpu and wasm). */
const TOLERANCE = 1e-3;

describe('the Node script', () => {
  it('computes the same KL, gradient and fitted ELBO on cpu and on wasm', async () => {
    const [cpu, wasm] = await Promise.all([runScript(['cpu']), runScript(['wasm'])]);
    expect(cpu.code, cpu.stderr).toBe(0);
    expect(wasm.code, wasm.stderr).toBe(0);
    const [a, b] = [parsePrinted(cpu.stdout), parsePrinted(wasm.stdout)];
    expect([a.backend, b.backend]).toEqual(['cpu', 'wasm']);
    expect(b.threads).toBe(1); // wasm in Node: one thread unless --threads says otherwise
    for (const run of [a, b]) {
      // KL(N(1, 2²) || N(0, 1)) = (1 + 4 - 1) / 2 - ln 2; gradient [loc, scale - 1/scale].
      expect(Math.abs(run.kl - (2 - Math.LN2))).toBeLessThan(1e-4);
      expect(run.gradient).toEqual([1, 1.5]);
      // 32 Adam steps lift the held-out ELBO by more than 2 nats per point (3.6 measured).
      expect(run.elboAfter - run.elboBefore).toBeGreaterThan(2);
    }
    expect(Math.abs(a.elboBefore - b.elboBefore)).toBeLessThan(TOLERANCE);
    expect(Math.abs(a.elboAfter - b.elboAfter)).toBeLessThan(TOLERANCE);
  });

  it("prints useBackend's message, no stack trace, and exits 1 when tfjs-node is missing; 'auto' falls back to wasm", async () => {
    // What a user who ran the script with npm sees (pnpm's own runs say `pnpm add`).
    const env = { npm_config_user_agent: '' };
    const [tensorflow, auto] = await Promise.all([
      runScript(['tensorflow'], env),
      runScript(['auto'], env),
    ]);
    expect(tensorflow.code).toBe(1);
    expect(tensorflow.stdout).toBe('');
    expect(tensorflow.stderr.trim()).toBe(
      "useBackend: the 'tensorflow' backend needs @tensorflow/tfjs-node, but @tensorflow/tfjs-node is not installed; install it with `npm install @tensorflow/tfjs-node` (its install script downloads libtensorflow, so it needs network access at install time)",
    );
    expect(auto.code, auto.stderr).toBe(0);
    expect(parsePrinted(auto.stdout).backend).toBe('wasm');
    expect(auto.stdout).toMatch(/^skipped {2}tensorflow: .*`npm install @tensorflow\/tfjs-node`/m);
  });
});
