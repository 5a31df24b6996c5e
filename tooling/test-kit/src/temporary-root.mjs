// Plain JavaScript on purpose, like the configs that name it.
// Vitest global setup: a test run writes its temporary files (os.tmpdir(), also in
// the processes it spawns and the browser it starts) under one folder of its own,
// removed when the run ends, so runs leave nothing behind in the system's /tmp.
// VAE_KEEP_TEST_TMP=1 keeps the folder (its path is printed) to inspect a failure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The folder this run's temporary files go to (the TMPDIR its workers inherit). */
export default function temporaryRoot() {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'vae-test-run-'));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (process.env.VAE_KEEP_TEST_TMP === '1') {
      console.log(`test run's temporary files kept in ${root}`);
      return;
    }
    rmSync(root, { recursive: true, force: true });
  };
}
