/// <reference types="node" />
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Options of {@link writeFileAtomic}.
 *
 * @example
 * ```ts
 * import type { WriteFileAtomicOptions } from '@vae/divergence/node';
 * const options: WriteFileAtomicOptions = { durable: false };
 * ```
 */
export interface WriteFileAtomicOptions {
  /**
   * Flush the file and its folder to the disk before returning (default true),
   * so the new contents survive a power cut, not only a crash of the process.
   */
  durable?: boolean;
  /**
   * Move the current file here once the new one is safely written, just before
   * it replaces the current one (a one-deep backup, e.g. `<path>.prev`).
   */
  backup?: string;
}

const TEMPORARY = /^\.(.+)\.(\d+)-[0-9a-f]{8}\.tmp$/;

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** Removes temporary files that writers of `path` left behind when they were killed. */
async function removeLeftovers(path: string): Promise<void> {
  const name = basename(path);
  let entries: string[];
  try {
    entries = await readdir(dirname(path));
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = TEMPORARY.exec(entry);
    if (match?.[1] === name && !isAlive(Number(match[2]))) {
      await rm(join(dirname(path), entry), { force: true });
    }
  }
}

async function syncFolder(path: string): Promise<void> {
  try {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot fsync a folder; the rename is atomic all the same.
  }
}

/**
 * Replaces the file at `path` with `contents` atomically (Node only): the bytes
 * go to a hidden temporary file beside it (`.<name>.<pid>-<random>.tmp`), which is
 * flushed and renamed over `path`, so a reader sees the old file or the new one,
 * never half of one (with `backup`, the old file is at `backup` during the
 * instant between the two renames). Temporary files that a killed writer of the same `path` left
 * behind are removed first. On error the temporary file is removed and `path` is
 * unchanged; the error is the file system's (with its `code` and path).
 *
 * @param path - The file to replace (its folder must exist).
 * @param contents - Text (written as UTF-8) or bytes.
 * @param options - `durable` (flush to disk, default true) and `backup` (keep the old file).
 * @example
 * ```ts
 * import { mkdtemp } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { writeFileAtomic } from '@vae/divergence/node';
 * const folder = await mkdtemp(join(tmpdir(), 'vae-'));
 * await writeFileAtomic(join(folder, 'config.json'), '{"epochs": 10}\n');
 * ```
 */
export async function writeFileAtomic(
  path: string,
  contents: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  await removeLeftovers(path);
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(contents);
      if (options.durable ?? true) await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.backup !== undefined) {
      await rename(path, options.backup).catch((error: unknown) => {
        if ((error as { code?: string }).code !== 'ENOENT') throw error;
      });
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  if (options.durable ?? true) await syncFolder(dirname(path));
}
