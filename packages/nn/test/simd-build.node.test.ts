import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileWat } from '../../../scripts/build-wat.mjs';

describe('the embedded SIMD kernels', () => {
  it('are what wat/nn-kernels.wat compiles to', async () => {
    // Text equality: the file is generated in the layout Biome keeps.
    const committed = await readFile(
      new URL('../src/internal/nn-kernels-wasm.ts', import.meta.url),
      'utf8',
    );
    const source = fileURLToPath(new URL('../wat/nn-kernels.wat', import.meta.url));
    expect(committed).toBe(await compileWat(source));
  }, 30_000);
});
