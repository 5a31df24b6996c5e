#!/usr/bin/env node
// The `vae` command. Installed from npm it runs the compiled CLI in ../dist.
// Inside the repository (where ../src exists) it first brings ../dist up to date:
// when the sources of the CLI or of its packages changed since the last build it
// rebuilds them with turbo, quietly, saying so; when nothing changed it starts at
// once. So `pnpm vae ...` always runs the current code without a build step.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../src/main.ts', import.meta.url));
if (existsSync(source)) {
  const { ensureBuilt } = await import('./dev-build.mjs');
  await ensureBuilt();
  process.env.VAE_CLI_COMMAND ??= 'pnpm vae';
  process.env.VAE_CLI_INSTALL ??= 'pnpm --filter @vae/cli add';
}
await import('../dist/main.js');
