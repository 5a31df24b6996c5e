import { useBackend } from '@vae/backends';
import { restoreModel } from '@vae/trainer';
import type { BackendChoice } from './backend-options.js';
import { loadCheckpointFile } from './checkpoint-file.js';
import { CliError } from './errors.js';
import { buildModel, type CliModel } from './model.js';
import { type RunConfig, type RunPaths, readRunConfig, runPaths } from './run-folder.js';

/** Starts the backend and loads a run folder's model from its checkpoint. */
export async function loadRun(
  directory: string,
  options: { command: string } & BackendChoice,
): Promise<{ model: CliModel; config: RunConfig; paths: RunPaths }> {
  const config = await readRunConfig(directory, options.command);
  const paths = runPaths(directory);
  const checkpoint = await loadCheckpointFile(paths.checkpoint);
  if (checkpoint === undefined) {
    throw new CliError(`${options.command}: ${directory} has no checkpoint (${paths.checkpoint})`);
  }
  await useBackend(options.backend, { threads: options.threads });
  const model = buildModel(config);
  try {
    restoreModel(model, checkpoint, { source: paths.checkpoint });
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { model, config, paths };
}
