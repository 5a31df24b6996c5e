// `vae eval`'s chunk from its memory budget: the measured line predicts what the
// importance bound really holds at a larger chunk, the choice is the largest chunk
// within the budget, and what cannot fit is refused naming the option to change.
import * as tf from '@tensorflow/tfjs-core';
import { convVAE, mlpVAE, type VAE } from '@vae/nn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChunkMemory,
  chooseChunk,
  chunkBytes,
  measureChunkMemory,
  wasmOutOfMemory,
} from '../src/internal/chunk-size.js';
import { CliError } from '../src/internal/errors.js';
import { logLikelihood } from '../src/internal/scoring.js';

type Name = 'mlp' | 'conv';
const models = {} as Record<Name, VAE>;
// Built once the test setup has started the backend.
beforeAll(() => {
  models.mlp = mlpVAE({ inputShape: [12], hidden: [16], latentDim: 3, seed: 1 });
  models.conv = convVAE({ inputShape: [28, 28, 1], latentDim: 4, seed: 1 });
});
afterAll(() => {
  for (const model of Object.values(models)) model.dispose();
});

async function peakBytes(model: VAE, batch: number, chunk: number) {
  const x = tf.zeros([batch, ...model.dataShape]);
  const before = tf.memory().numBytes;
  const info = await tf.profile(() => logLikelihood(model, x, { k: chunk, chunk, seed: 3 }));
  tf.dispose([info.result as tf.Tensor, x]);
  return info.peakBytes - before;
}

describe('measureChunkMemory', () => {
  it.each(['mlp', 'conv'] as const)(
    '%s: predicts the peak at another batch size and chunk within 2%%',
    async (name) => {
      const model = models[name];
      const tensors = tf.memory().numTensors;
      const memory = await measureChunkMemory(model, { batchSize: 10, maxBytes: 2 ** 31 });
      expect(tf.memory().numTensors).toBe(tensors);
      expect(memory.perSample).toBeGreaterThan(0);
      const predicted = chunkBytes(memory, 10, 150);
      const measured = await peakBytes(model, 10, 150);
      expect(Math.abs(predicted - measured) / measured).toBeLessThan(0.02);
    },
  );
});

describe('chooseChunk', () => {
  const memory: ChunkMemory = { constant: 0, fixed: 1000, perSample: 500 };
  const options = { batchSize: 10, k: 5000 };

  it('takes the largest chunk within the budget, at most 100', () => {
    // 10 * (1000 + 44 * 500) = 230,000 fits exactly; 45 samples would need 235,000.
    expect(chooseChunk(memory, { ...options, maxBytes: 230_000 })).toBe(44);
    expect(chunkBytes(memory, 10, 44)).toBe(230_000);
    expect(chunkBytes(memory, 10, 45)).toBe(235_000);
    expect(chooseChunk(memory, { ...options, maxBytes: 2 ** 31 })).toBe(100);
    // Bytes that do not grow with the batch come off the budget first.
    const withWeights = { ...memory, constant: 30_000 };
    expect(chooseChunk(withWeights, { ...options, maxBytes: 260_000 })).toBe(44);
    expect(chooseChunk(withWeights, { ...options, maxBytes: 259_999 })).toBe(43);
  });

  it('keeps a --chunk that fits and refuses one that does not, naming the largest', () => {
    expect(chooseChunk(memory, { ...options, requested: 44, maxBytes: 230_000 })).toBe(44);
    expect(() => chooseChunk(memory, { ...options, requested: 45, maxBytes: 230_000 })).toThrow(
      /--chunk 45 would hold 230 KiB .* use --chunk 44 or less/,
    );
    // A chunk above k decodes only k samples at once; so does the default.
    expect(chooseChunk(memory, { ...options, k: 40, maxBytes: 230_000 })).toBe(100);
    expect(chooseChunk(memory, { ...options, k: 40, requested: 100, maxBytes: 230_000 })).toBe(100);
  });

  it('names --batch-size when not even one sample per example fits', () => {
    const refuse = () => chooseChunk(memory, { ...options, maxBytes: 14_000 });
    expect(refuse).toThrow(CliError);
    expect(refuse).toThrow(
      /--batch-size 10 examples would hold 15 KiB .* use --batch-size 9 or less/,
    );
  });
});

describe('wasmOutOfMemory', () => {
  it('names --chunk and the rows for a wasm trap, and leaves other errors alone', () => {
    const trap = new WebAssembly.RuntimeError('memory access out of bounds');
    const error = wasmOutOfMemory(trap, { batchSize: 100, chunk: 100, maxMemory: 2048 });
    expect(error).toBeInstanceOf(CliError);
    expect(error?.message).toBe(
      'eval: the wasm backend failed while scoring (memory access out of bounds), most likely out of memory with 10,000 decoder rows at once (--batch-size 100, --chunk 100); try a smaller --chunk or --max-memory (now 2,048 MiB)',
    );
    expect(wasmOutOfMemory(new Error('disk full'), { batchSize: 1, chunk: 1, maxMemory: 1 })).toBe(
      undefined,
    );
  });
});
