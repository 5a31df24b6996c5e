import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/node.js';

async function folder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'vae-atomic-'));
}

/** The pid of a process that has exited (so no live writer owns it). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file', async () => {
    const dir = await folder();
    const path = join(dir, 'a.json');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]), { durable: false });
    expect([...(await readFile(path))]).toEqual([1, 2, 3]);
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it("removes what a killed writer left behind, but not a live writer's file", async () => {
    const dir = await folder();
    const path = join(dir, 'run.ckpt');
    const dead = `.run.ckpt.${deadPid()}-0badc0de.tmp`;
    const live = `.run.ckpt.${process.ppid}-12345678.tmp`;
    const other = `.other.${deadPid()}-0badc0de.tmp`;
    for (const name of [dead, live, other]) await writeFile(join(dir, name), 'x');
    await writeFileAtomic(path, 'checkpoint');
    expect((await readdir(dir)).sort()).toEqual([live, other, 'run.ckpt'].sort());
  });

  it('fails with the OS reason and leaves the old file when the folder is missing', async () => {
    const dir = await folder();
    await expect(writeFileAtomic(join(dir, 'missing', 'a.json'), 'x')).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
