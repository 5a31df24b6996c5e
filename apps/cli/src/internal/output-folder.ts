import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@vae/divergence/node';
import { CliError } from './errors.js';
import { hasCode } from './os-errors.js';
import { readSmallJsonIfAny } from './small-file.js';

/** The list of files a vae command wrote in a folder, so it never overwrites anyone else's. */
const MANIFEST = '.vae-outputs.json';
/** Far above the few names a command writes: a larger manifest is not read (and lists nothing). */
const MAX_MANIFEST_BYTES = 1 << 20;

async function listed(directory: string): Promise<Set<string>> {
  const value = await readSmallJsonIfAny(join(directory, MANIFEST), MAX_MANIFEST_BYTES);
  const files = (value as { files?: unknown } | null | undefined)?.files;
  return new Set(Array.isArray(files) ? files.filter((f) => typeof f === 'string') : []);
}

/**
 * Refuses an output folder that holds files vae did not write there (a user's
 * own `samples.png`, a run folder): only a missing or empty folder, or one whose
 * every file is listed in its manifest (`.vae-outputs.json`), is written to.
 */
export async function checkOutputFolder(directory: string, command: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return;
    if (hasCode(error, 'ENOTDIR')) {
      throw new CliError(`${command}: --out ${directory} is a file, not a folder`);
    }
    throw error;
  }
  const ours = await listed(directory);
  const foreign = names.filter((name) => name !== MANIFEST && !ours.has(name));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ', ...' : '');
    throw new CliError(
      `${command}: ${directory} holds files vae did not write (${shown}); choose another --out (nothing was changed)`,
    );
  }
}

/** Records the files written, adding to what an earlier `vae sample` listed. */
export async function recordOutputs(
  directory: string,
  files: readonly string[],
  command: string,
): Promise<void> {
  const all = new Set([...(await listed(directory)), ...files]);
  await writeFileAtomic(
    join(directory, MANIFEST),
    `${JSON.stringify({ writtenBy: `vae ${command}`, files: [...all].sort() }, null, 2)}\n`,
    { durable: false },
  );
}
