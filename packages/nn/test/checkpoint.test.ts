import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { convVAE, loadVAE, mlpVAE, VaeError, vaeFromArtifacts } from '../src/index.js';

const small = (seed: number) => mlpVAE({ inputShape: [6], hidden: [5], latentDim: 2, seed });

function weights(model: { parameters(): tf.Variable[] }): number[][] {
  return model.parameters().map((v) => Array.from(v.dataSync()));
}

async function expectCode(promise: () => unknown, code: string, message: RegExp): Promise<void> {
  try {
    await promise();
  } catch (error) {
    expect(VaeError.isInstance(error) && error.code).toBe(code);
    expect((error as Error).message).toMatch(message);
    return;
  }
  expect.fail(`expected VaeError ${code}`);
}

function longer(bytes: ArrayBuffer): ArrayBuffer {
  const out = new Uint8Array(bytes.byteLength + 4);
  out.set(new Uint8Array(bytes));
  return out.buffer;
}

describe('save and load', () => {
  it('round-trips bit-exactly through an IOHandler and through artifacts', async () => {
    const source = small(1);
    const target = small(2);
    let saved: tf.io.ModelArtifacts | undefined;
    await expectNoLeaks(() =>
      source.save(
        tf.io.withSaveHandler(async (artifacts) => {
          saved = artifacts;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      ),
    );
    expect(saved?.modelTopology).toEqual({
      format: 'vae',
      version: 1,
      architecture: source.config,
    });
    expect(weights(target)).not.toEqual(weights(source));
    await expectNoLeaks(() => target.load(tf.io.fromMemory(saved!)));
    expect(weights(target)).toEqual(weights(source));
    const rebuilt = vaeFromArtifacts(saved!);
    expect(weights(rebuilt)).toEqual(weights(source));
    const loaded = await loadVAE(tf.io.fromMemory(saved!));
    expect(loaded.config).toEqual(source.config);
    for (const m of [source, target, rebuilt, loaded]) m.dispose();
  });

  it('conv models round-trip too', async () => {
    const a = convVAE({
      inputShape: [8, 8, 1],
      channels: [2, 3],
      hidden: 4,
      latentDim: 2,
      seed: 1,
    });
    const b = vaeFromArtifacts(await a.toArtifacts());
    expect(weights(b)).toEqual(weights(a));
    a.dispose();
    b.dispose();
  });

  it('a different architecture is CHECKPOINT_MISMATCH naming what differs', async () => {
    const a = small(1);
    const b = mlpVAE({ inputShape: [6], hidden: [5], latentDim: 3, seed: 1 });
    const artifacts = await a.toArtifacts();
    await expectCode(
      () => b.fromArtifacts(artifacts),
      'CHECKPOINT_MISMATCH',
      /latentDim: checkpoint 2, model 3/,
    );
    a.dispose();
    b.dispose();
  });

  it('corrupt weights are CHECKPOINT_CORRUPT and leave the model unchanged', async () => {
    const model = small(1);
    const good = await model.toArtifacts();
    const before = weights(model);
    const specs = good.weightSpecs!;
    const bytes = good.weightData as ArrayBuffer;
    const cases: [string, tf.io.ModelArtifacts, RegExp][] = [
      ['missing', { ...good, weightSpecs: specs.slice(1) }, /missing: \[encoder.body.0.weight\]/],
      [
        'extra',
        { ...good, weightSpecs: [...specs, { name: 'x', shape: [1], dtype: 'float32' }] },
        /unexpected: \[x\]/,
      ],
      [
        'shape',
        { ...good, weightSpecs: specs.map((s, i) => (i === 0 ? { ...s, shape: [5, 6] } : s)) },
        /encoder.body.0.weight' is float32 \[5,6\], the model expects float32 \[6,5\]/,
      ],
      ['short', { ...good, weightData: bytes.slice(0, bytes.byteLength - 4) }, /bytes/],
      ['long', { ...good, weightData: longer(bytes) }, /bytes/],
      ['topology', { ...good, modelTopology: { format: 'layers-model' } }, /not a vae manifest/],
    ];
    const nan = bytes.slice(0);
    new Float32Array(nan)[3] = Number.NaN;
    cases.push([
      'nan',
      { ...good, weightData: nan },
      /encoder.body.0.weight' holds non-finite values/,
    ]);
    for (const [, artifacts, message] of cases) {
      await expectCode(() => model.fromArtifacts(artifacts), 'CHECKPOINT_CORRUPT', message);
    }
    expect(weights(model)).toEqual(before);
    model.dispose();
  });
});
