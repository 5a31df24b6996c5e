// Runs that are interrupted (Ctrl-C, kill -9 at random moments, inside checkpoint
// writes) and resumed end exactly where an uninterrupted run ends: the same test
// loss and bit-identical weights on the cpu backend. Each run is a child process
// started from the sources, as a user's `vae` would run.
import { existsSync, readdirSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { seededUniform } from '@vae/divergence';
import { decodeCheckpoint } from '@vae/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { folderState } from '../src/internal/run-folder.js';
import {
  type CliProcess,
  checkpointWeights,
  readJsonLines,
  runVae,
  spawnVae,
  temporary,
  waitFor,
} from './helpers.js';

const EPOCHS = 6;
// A small MLP on 1,024 MNIST images in batches of 32: 32 steps per epoch on cpu.
const RUN = [
  '--backend',
  'cpu',
  '--limit',
  '1024',
  '--test-limit',
  '100',
  '--batch-size',
  '32',
  '--hidden',
  '48',
  '--latent',
  '4',
  '--seed',
  '3',
  '--epochs',
  String(EPOCHS),
];
/** The line a run prints just before `fit` starts. */
const READY = /^(run folder: |resuming at epoch|.* has no checkpoint yet)/m;
const TEMPORARY_CHECKPOINT = /^\.checkpoint\.ckpt\.\d+-[0-9a-f]{8}\.tmp$/;

const root = temporary('vae-interrupt-');
const reference = join(root, 'reference');
let referenceEpochSeconds = 1;

function finalTestLoss(run: string): number {
  return readJsonLines(join(run, 'metrics.jsonl')).at(-1)!.testLoss!;
}

beforeAll(async () => {
  const { code, output } = await runVae(['train', ...RUN, '--out', reference]);
  expect(code, output).toBe(0);
  const metrics = readJsonLines(join(reference, 'metrics.jsonl'));
  referenceEpochSeconds = metrics.reduce((s, m) => s + m.seconds!, 0) / metrics.length;
}, 300_000);

/** Kills `run` with SIGKILL once a checkpoint write has begun (its temporary file appears). */
function killInsideCheckpointWrite(process: CliProcess, folder: string): () => void {
  const watcher = watch(folder, (_event, name) => {
    if (name !== null && TEMPORARY_CHECKPOINT.test(name)) process.child.kill('SIGKILL');
  });
  return () => watcher.close();
}

/** What a killed run left must be a run `--resume` accepts, having lost at most the epoch in progress. */
async function expectResumable(folder: string, previouslyCompleted: number): Promise<number> {
  const state = await folderState(folder);
  expect(['run', 'unstarted']).toContain(state);
  const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
  const path = existsSync(join(folder, 'checkpoint.ckpt'))
    ? join(folder, 'checkpoint.ckpt')
    : join(folder, 'checkpoint.ckpt.prev');
  let completed = 0;
  if (existsSync(path)) {
    const checkpoint = decodeCheckpoint(readFileSync(path), path);
    expect(checkpoint.state.runId).toBe(config.runId);
    completed = checkpoint.state.history.length;
  }
  // Checkpoints never go back: at most the epoch in progress is lost.
  expect(completed).toBeGreaterThanOrEqual(previouslyCompleted);
  const metrics = existsSync(join(folder, 'metrics.jsonl'))
    ? readFileSync(join(folder, 'metrics.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
    : [];
  // metrics.jsonl runs at most one epoch ahead of the checkpoint (the line is appended just before the save).
  expect(metrics.length).toBeLessThanOrEqual(completed + 1);
  // Temporary files of killed writers are removed by the next write.
  expect(readdirSync(folder).filter((name) => name.endsWith('.tmp')).length).toBeLessThanOrEqual(2);
  return completed;
}

describe('interrupted runs resume to the uninterrupted result (cpu)', () => {
  it('Ctrl-C inside epoch 2, then --resume: the same final test loss and weights, the right epoch labels', async () => {
    const out = join(root, 'sigint');
    const run = spawnVae(['train', ...RUN, '--out', out]);
    await waitFor(run, (output) => /^epoch 1\/6: train ELBO/m.test(output));
    await new Promise((resolve) => setTimeout(resolve, (referenceEpochSeconds * 1000) / 3));
    run.child.kill('SIGINT');
    const stopped = await run.exit;
    expect(stopped.code, stopped.output).toBe(130);
    expect(stopped.output).toMatch(/stopping after this batch and saving a checkpoint/);
    expect(stopped.output).toMatch(
      /stopped at epoch 2, step \d+; checkpoint saved; continue with: vae train --out .*sigint --resume/,
    );
    const checkpoint = decodeCheckpoint(readFileSync(join(out, 'checkpoint.ckpt')));
    expect(checkpoint.state.epoch).toBe(1);
    expect(checkpoint.state.batchInEpoch).toBeGreaterThan(0);

    const resumed = await runVae(['train', '--backend', 'cpu', '--out', out, '--resume']);
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.output).toMatch(
      new RegExp(`^resuming at epoch 2/6, batch ${checkpoint.state.batchInEpoch}/32 `, 'm'),
    );
    // Epoch labels continue from 2; epoch 1 is not trained again.
    expect(resumed.output).not.toMatch(/^epoch 1\/6/m);
    for (const epoch of [2, 3, 4, 5, 6]) {
      expect(resumed.output).toMatch(new RegExp(`^epoch ${epoch}/6: train ELBO`, 'm'));
    }
    expect(readJsonLines(join(out, 'metrics.jsonl')).map((m) => m.epoch)).toEqual([
      0, 1, 2, 3, 4, 5,
    ]);
    expect(finalTestLoss(out)).toBe(finalTestLoss(reference));
    expect(checkpointWeights(join(out, 'checkpoint.ckpt'))).toEqual(
      checkpointWeights(join(reference, 'checkpoint.ckpt')),
    );
  }, 300_000);

  it('kill -9 at 20 random moments (some inside checkpoint writes), resuming each time: bit-identical weights', async () => {
    const out = join(root, 'killed');
    const random = seededUniform(20_241_127);
    let completed = 0;
    let kills = 0;
    for (let i = 0; i < 20 && completed < EPOCHS; i++) {
      const first = i === 0;
      const run = spawnVae([
        'train',
        ...(first ? RUN : ['--backend', 'cpu', '--resume']),
        '--out',
        out,
      ]);
      await waitFor(run, (output) => READY.test(output));
      let stopWatching = () => {};
      if (i % 3 === 2) {
        stopWatching = killInsideCheckpointWrite(run, out);
      } else {
        const delay = random() * 1.5 * referenceEpochSeconds * 1000;
        setTimeout(() => run.child.kill('SIGKILL'), delay);
      }
      const ended = await run.exit;
      stopWatching();
      if (ended.signal !== 'SIGKILL') {
        // It finished before the kill: nothing left to interrupt.
        expect(ended.code, ended.output).toBe(0);
        break;
      }
      kills++;
      completed = await expectResumable(out, completed);
    }
    expect(kills).toBeGreaterThanOrEqual(10);
    if (completed < EPOCHS) {
      const last = await runVae(['train', '--backend', 'cpu', '--out', out, '--resume']);
      expect(last.code, last.output).toBe(0);
    }
    expect(readJsonLines(join(out, 'metrics.jsonl')).map((m) => m.epoch)).toEqual([
      0, 1, 2, 3, 4, 5,
    ]);
    expect(finalTestLoss(out)).toBe(finalTestLoss(reference));
    expect(checkpointWeights(join(out, 'checkpoint.ckpt'))).toEqual(
      checkpointWeights(join(reference, 'checkpoint.ckpt')),
    );
    // And the finished run evaluates cleanly.
    const evaluated = await runVae(['eval', out, '--backend', 'cpu', '--k', '5', '--limit', '20']);
    expect(evaluated.code, evaluated.output).toBe(0);
  }, 900_000);
});
