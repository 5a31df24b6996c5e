import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the one-stream preload of examples', () => {
  it('sends console.error and console.warn to stdout, in the order they were called', () => {
    const preload = new URL('../src/one-stream.mjs', import.meta.url).href;
    const script = "console.error('a'); console.log('b'); console.warn('c'); console.log('d');";
    const result = spawnSync(process.execPath, ['--import', preload, '-e', script], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('a\nb\nc\nd\n');
    expect(result.stderr).toBe('');
  });
});
