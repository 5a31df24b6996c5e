import * as divergence from '@vae/divergence';
import { describe, expect, it } from 'vitest';
import { ensureGradients, gradientsRegistered } from '../src/index.js';

describe('ensureGradients (re-exported from @vae/divergence)', () => {
  it('is the same function, so imports from @vae/trainer keep working', async () => {
    expect(ensureGradients).toBe(divergence.ensureGradients);
    expect(gradientsRegistered).toBe(divergence.gradientsRegistered);
    await ensureGradients();
    expect(gradientsRegistered()).toBe(true);
  });
});
