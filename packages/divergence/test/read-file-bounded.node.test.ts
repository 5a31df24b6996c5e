import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileBounded } from '../src/node.js';

const dir = mkdtempSync(join(tmpdir(), 'vae-bounded-'));

describe('readFileBounded', () => {
  it('reads a regular file up to the bound, exactly at it, and not one byte past it', async () => {
    const path = join(dir, 'data.bin');
    writeFileSync(
      path,
      Uint8Array.from({ length: 300_000 }, (_, i) => i % 251),
    );
    const found = await readFileBounded(path, { maxBytes: 300_000 });
    expect(found.problem).toBeUndefined();
    if (found.problem === undefined) {
      expect(found.bytes.length).toBe(300_000);
      expect(found.bytes[299_999]).toBe(299_999 % 251);
    }
    expect(await readFileBounded(path, { maxBytes: 299_999 })).toEqual({
      problem: 'too-large',
      size: 300_000,
    });
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    expect(await readFileBounded(empty, { maxBytes: 0 })).toEqual({
      problem: undefined,
      bytes: new Uint8Array(0),
    });
  });

  it('names what is missing, and refuses folders, FIFOs and devices without waiting', async () => {
    expect(await readFileBounded(join(dir, 'nothing'), { maxBytes: 10 })).toEqual({
      problem: 'missing',
    });
    writeFileSync(join(dir, 'file'), 'x');
    expect(await readFileBounded(join(dir, 'file', 'below'), { maxBytes: 10 })).toEqual({
      problem: 'missing',
    });
    mkdirSync(join(dir, 'folder'));
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const zeros = join(dir, 'zeros');
    symlinkSync('/dev/zero', zeros);
    for (const path of [join(dir, 'folder'), fifo, zeros, '/dev/zero']) {
      expect(await readFileBounded(path, { maxBytes: 1 << 30 })).toEqual({ problem: 'not-a-file' });
    }
  });
});
