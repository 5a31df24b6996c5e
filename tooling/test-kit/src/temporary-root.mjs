// Plain JavaScript on purpose, like the configs that name it.
// Vitest global setup: a test run writes its temporary files (os.tmpdir(), also in
// the processes it spawns and the browser it starts) under one folder of its own,
// removed when the run ends, so runs leave nothing behind in the system's /tmp.
// VAE_KEEP_TEST_TMP=1 keeps the folder (its path is printed) to inspect a failure.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The folder this run's temporary files go to (the TMPDIR its workers inherit). */
export default function temporaryRoot() {
  // Every project of a run calls this; the first one makes the folder.
  if (process.env.VAE_TEST_RUN_TMPDIR !== undefined) return () => {};
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'vae-test-run-'));
  // Traversable by others (not listable): tests run the CLI as an unprivileged user
  // on folders inside it.
  chmodSync(root, 0o711);
  process.env.TMPDIR = root;
  process.env.VAE_TEST_RUN_TMPDIR = root;
  return () => {
    delete process.env.VAE_TEST_RUN_TMPDIR;
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (process.env.VAE_KEEP_TEST_TMP === '1') {
      console.log(`test run's temporary files kept in ${root}`);
      return;
    }
    rmSync(root, { recursive: true, force: true });
  };
}
