import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli, Independent } from '@vae/distributions';
import { expectNoLeaks, memorySink } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  type BuildContext,
  convVAE,
  Decoder,
  Linear,
  loadModel,
  loadVAE,
  loadWeights,
  type ModuleConfig,
  mlpVAE,
  modelFromArtifacts,
  modelToArtifacts,
  type PriorChoice,
  registerModule,
  saveModel,
  VAE,
  VaeError,
} from '../src/index.js';

const PRIORS: PriorChoice[] = [
  'standard-normal',
  'diagonal',
  { kind: 'mixture', components: 3 },
  { kind: 'vamp', components: 2 },
];

const small = (seed: number, prior: PriorChoice = 'standard-normal') =>
  mlpVAE({ inputShape: [6], hidden: [5], latentDim: 2, seed, prior });

function weights(model: { namedParameters(): [string, tf.Variable][] }): [string, number[]][] {
  return model.namedParameters().map(([name, v]) => [name, Array.from(v.dataSync())]);
}

async function expectCode(run: () => unknown, code: string, message: RegExp): Promise<void> {
  try {
    await run();
  } catch (error) {
    expect(VaeError.isInstance(error) && error.code).toBe(code);
    expect((error as Error).message).toMatch(message);
    return;
  }
  expect.fail(`expected VaeError ${code}`);
}

/** Saves through a memory handler and returns what it was given. */
async function saveToMemory(model: VAE): Promise<tf.io.ModelArtifacts> {
  const sink = memorySink();
  await saveModel(model, sink.handler);
  return sink.saved();
}

describe('saveModel and loadModel', () => {
  it.each(PRIORS.map((prior) => [JSON.stringify(prior), prior] as const))(
    'round-trip a VAE with a %s prior bit-exactly, architecture and all',
    async (_, prior) => {
      const model = small(1, prior);
      const artifacts = await expectNoLeaks(() => saveToMemory(model));
      expect(artifacts.modelTopology).toMatchObject({ format: 'vae-model', version: 2 });
      const before = tf.memory().numTensors;
      const copy = await loadVAE(tf.io.fromMemory(artifacts));
      expect(tf.memory().numTensors - before).toBe(copy.parameters().length);
      expect(copy.prior.constructor).toBe(model.prior.constructor);
      expect(weights(copy)).toEqual(weights(model));
      tf.tidy(() => {
        const x = tf.randomUniform([3, 6], 0, 1, 'float32', 5);
        expect(Array.from(copy.reconstruct(x).dataSync())).toEqual(
          Array.from(model.reconstruct(x).dataSync()),
        );
        expect(Array.from(copy.sample(4, { seed: 0 }).dataSync())).toEqual(
          Array.from(model.sample(4, { seed: 0 }).dataSync()),
        );
      });
      copy.dispose();
      model.dispose();
    },
  );

  it('names the prior parameters and saves them', () => {
    const model = small(1, { kind: 'vamp', components: 2 });
    expect(model.namedParameters().map(([n]) => n)).toContain('prior.pseudoInputs');
    const mixture = small(1, { kind: 'mixture', components: 3 });
    expect(
      mixture
        .namedParameters()
        .map(([n]) => n)
        .filter((n) => n.startsWith('prior.')),
    ).toEqual(['prior.logits', 'prior.loc', 'prior.logVariance']);
    model.dispose();
    mixture.dispose();
  });

  it('conv models round-trip too', async () => {
    const a = convVAE({
      inputShape: [8, 8, 1],
      channels: [2, 3],
      hidden: 4,
      latentDim: 2,
      seed: 1,
    });
    const b = (await loadModel(await modelToArtifacts(a))) as VAE;
    expect(weights(b)).toEqual(weights(a));
    expect(b.dataShape).toEqual([8, 8, 1]);
    a.dispose();
    b.dispose();
  });

  it('loadWeights loads into a model of the same architecture, and names what differs otherwise', async () => {
    const a = small(1);
    const b = small(2);
    await loadWeights(b, await modelToArtifacts(a));
    expect(weights(b)).toEqual(weights(a));
    const wider = mlpVAE({ inputShape: [6], hidden: [7], latentDim: 2, seed: 1 });
    await expectCode(
      async () => loadWeights(wider, await modelToArtifacts(a)),
      'CHECKPOINT_MISMATCH',
      /architecture differs .* at model\.encoder\.body\.layers\[0\]\.outFeatures: file 5, model 7/,
    );
    for (const m of [a, b, wider]) m.dispose();
  });

  it('reads the version-1 preset manifests earlier releases wrote', async () => {
    const model = small(3);
    const current = await modelToArtifacts(model);
    const legacy: tf.io.ModelArtifacts = {
      ...current,
      modelTopology: {
        format: 'vae',
        version: 1,
        architecture: {
          kind: 'mlp',
          inputShape: [6],
          hidden: [5],
          latentDim: 2,
          likelihood: 'bernoulli',
          activation: 'relu',
        },
      },
    };
    const copy = await loadVAE(legacy);
    expect(weights(copy)).toEqual(weights(model));
    copy.dispose();
    model.dispose();
  });

  it('rejects damaged artifacts with a typed error and leaves nothing allocated', async () => {
    const model = small(1);
    const good = await modelToArtifacts(model);
    const specs = good.weightSpecs!;
    const bytes = good.weightData as ArrayBuffer;
    const nan = bytes.slice(0);
    new Float32Array(nan)[3] = Number.NaN;
    const cases: [tf.io.ModelArtifacts, string, RegExp][] = [
      [
        { ...good, weightSpecs: specs.slice(1), weightData: bytes.slice(30 * 4) },
        'CHECKPOINT_MISMATCH',
        /missing: encoder\.body\.0\.weight/,
      ],
      [
        { ...good, weightSpecs: specs.map((s, i) => (i === 0 ? { ...s, shape: [5, 6] } : s)) },
        'CHECKPOINT_MISMATCH',
        /mis-shaped: encoder\.body\.0\.weight \(.*float32 \[5, 6\], model: float32 \[6, 5\]\)/,
      ],
      [
        { ...good, weightData: bytes.slice(0, bytes.byteLength - 4) },
        'CHECKPOINT_CORRUPT',
        /bytes/,
      ],
      [
        { ...good, modelTopology: { format: 'layers-model' } },
        'CHECKPOINT_CORRUPT',
        /not a vae model/,
      ],
      [
        { ...good, modelTopology: { format: 'vae-model', version: 3, model: {} } },
        'CHECKPOINT_CORRUPT',
        /version 3 is not supported .* upgrade @vae\/nn/,
      ],
      [
        { ...good, weightData: nan },
        'CHECKPOINT_CORRUPT',
        /'encoder\.body\.0\.weight' .* non-finite/,
      ],
      [
        {
          ...good,
          weightSpecs: [...specs, { name: 'huge', shape: [1e9, 1e9], dtype: 'float32' }],
        },
        'CHECKPOINT_CORRUPT',
        /more than 268435456 parameters/,
      ],
      [
        { ...good, weightSpecs: [{ name: 'x', shape: [1e12], dtype: 'string' }] },
        'CHECKPOINT_CORRUPT',
        /not a float32 tensor spec/,
      ],
    ];
    const before = tf.memory().numTensors;
    for (const [artifacts, code, message] of cases) {
      await expectCode(() => loadModel(artifacts), code, message);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('never allocates more than the weights hold, whatever the architecture asks', async () => {
    const model = small(1);
    const good = await modelToArtifacts(model);
    const topology = structuredClone(good.modelTopology) as {
      model: {
        config: {
          encoder: { config: { body: { config: { layers: { config: ModuleConfig }[] } } } };
        };
      };
    };
    topology.model.config.encoder.config.body.config.layers[0]!.config.outFeatures = 16_000_000;
    topology.model.config.encoder.config.body.config.layers[0]!.config.inFeatures = 16_000_000;
    await expectCode(
      () => loadModel({ ...good, modelTopology: topology }),
      'CHECKPOINT_CORRUPT',
      /asks for a parameter Linear\.weight of shape \[16000000, 16000000\], more than the weights it holds/,
    );
    model.dispose();
  });

  it('rejects unknown classes by name and hostile specs, and never evaluates code', async () => {
    const model = small(1);
    const good = await modelToArtifacts(model);
    const withModel = (spec: unknown) => ({
      ...good,
      modelTopology: { format: 'vae-model', version: 2, model: spec },
    });
    await expectCode(
      () => loadModel(withModel({ class: 'constructor', config: {} })),
      'UNSUPPORTED',
      /'constructor', which is not a registered module class/,
    );
    await expectCode(
      () => loadModel(withModel({ class: 'Linear', config: { inFeatures: 'x', outFeatures: 2 } })),
      'CHECKPOINT_CORRUPT',
      /`inFeatures` must be an integer in \[1, 16777216\], got "x"/,
    );
    let deep: unknown = { class: 'Flatten', config: {} };
    for (let i = 0; i < 100; i++) deep = { class: 'Sequential', config: { layers: [deep] } };
    await expectCode(() => loadModel(withModel(deep)), 'CHECKPOINT_CORRUPT', /deeper than 64/);
    await expectCode(
      () =>
        loadModel(
          withModel({ class: 'VAE', config: { encoder: { class: 'Flatten', config: {} } } }),
        ),
      'CHECKPOINT_CORRUPT',
      /VAE\.encoder must be a Encoder, got a Flatten/,
    );
    model.dispose();
  });
});

/** A user's own decoder: Bernoulli pixels with a learned temperature. */
class TemperedDecoder extends Decoder {
  static readonly className: string = 'test.TemperedDecoder';
  readonly temperature = this.createParameter('temperature', [], () => tf.scalar(1));

  protected distribution(logits: tf.Tensor) {
    const scaled = tf.div(logits, this.temperature);
    const pixels = new Bernoulli({ logits: scaled, validateArgs: false });
    return this.own(new Independent(pixels, 1, { validateArgs: false }), pixels, scaled);
  }

  static fromConfig(config: ModuleConfig, context: BuildContext): TemperedDecoder {
    return new TemperedDecoder(Decoder.optionsFromConfig(config, context, 'TemperedDecoder'));
  }
}

class UnregisteredDecoder extends TemperedDecoder {
  static override readonly className: string = 'test.Unregistered';
}

class NoNameDecoder extends TemperedDecoder {}

describe('modules of your own', () => {
  function modelWith(decoder: Decoder): VAE {
    const base = small(1);
    const model = new VAE({ encoder: base.encoder, decoder });
    base.decoder.dispose();
    return model;
  }
  const body = () => new Linear({ inFeatures: 2, outFeatures: 6, seed: 4 });

  it('a registered decoder round-trips through save and load', async () => {
    registerModule(TemperedDecoder);
    const model = modelWith(new TemperedDecoder({ body: body(), eventShape: [6] }));
    model.decoder.namedParameters()[0]![1].assign(tf.scalar(0.5));
    const copy = modelFromArtifacts(await modelToArtifacts(model));
    expect(copy).toBeInstanceOf(VAE);
    expect((copy as VAE).decoder).toBeInstanceOf(TemperedDecoder);
    expect(weights(copy)).toEqual(weights(model));
    copy.dispose();
    model.dispose();
  });

  it('an unregistered class is named at load, a class without a name at save', async () => {
    const model = modelWith(new UnregisteredDecoder({ body: body(), eventShape: [6] }));
    await expectCode(
      async () => loadModel(await modelToArtifacts(model)),
      'UNSUPPORTED',
      /'test\.Unregistered', which is not a registered module class/,
    );
    const nameless = modelWith(new NoNameDecoder({ body: body(), eventShape: [6] }));
    await expectCode(
      () => modelToArtifacts(nameless),
      'UNSUPPORTED',
      /NoNameDecoder cannot be saved: it has no static `className` of its own/,
    );
    model.dispose();
    nameless.dispose();
  });

  it('registering a taken name is an error unless replacing is asked for', () => {
    class Impostor extends TemperedDecoder {
      static override readonly className: string = 'Linear';
    }
    expect(() => registerModule(Impostor)).toThrowError(/'Linear' is taken by Linear/);
    expect(() => registerModule(TemperedDecoder)).not.toThrow();
  });
});
