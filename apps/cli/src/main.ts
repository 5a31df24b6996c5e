#!/usr/bin/env node
// The `vae` command, run with plain Node (`node apps/cli/dist/main.js`, or the `vae` bin).
import { runCli } from './cli.js';

process.exitCode = await runCli(process.argv.slice(2));
