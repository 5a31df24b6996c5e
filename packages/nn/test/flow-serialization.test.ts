import * as tf from '@tensorflow/tfjs-core';
import { memorySink } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  convVAE,
  FlowEncoder,
  FlowLayer,
  FlowModel,
  FlowPrior,
  flowStack,
  loadModel,
  loadVAE,
  MADE,
  MaskedAutoregressiveFlow,
  type Module,
  mlpVAE,
  modelFromArtifacts,
  modelToArtifacts,
  type PriorChoice,
  saveModel,
  type VAE,
  VaeError,
} from '../src/index.js';
import { contextFor, FEATURES, FLOW_CASES, perturb } from './flow-helpers.js';

const values = (t: tf.Tensor) => Array.from(t.dataSync());

function weights(model: Module<unknown>): [string, number[]][] {
  return model.namedParameters().map(([name, v]) => [name, values(v)]);
}

/** Saves through a memory handler and loads the result: a new model, nothing shared. */
async function roundTrip<M extends Module<unknown>>(model: M): Promise<M> {
  const sink = memorySink();
  await saveModel(model, sink.handler);
  return (await loadModel(tf.io.fromMemory(sink.saved()))) as M;
}

describe.each(FLOW_CASES.map((c) => [c.name, c] as const))('%s', (_, flowCase) => {
  it('saves and loads by name with bit-identical values and log-dets both ways', async () => {
    const layer = flowCase.build(31);
    const copy = await roundTrip(layer);
    expect(copy).toBeInstanceOf(FlowLayer);
    expect(copy.constructor).toBe(layer.constructor);
    expect(copy.spec()).toEqual(layer.spec());
    expect(weights(copy)).toEqual(weights(layer));
    tf.tidy(() => {
      const x = tf.randomNormal([4, FEATURES], 0, 1, 'float32', 32);
      const context = contextFor(flowCase, 4, 33);
      for (const method of ['forwardAndLogDet', 'inverseAndLogDet'] as const) {
        const [a, b] = [layer[method](x, context), copy[method](x, context)];
        expect(Object.values(b).map(values)).toEqual(Object.values(a).map(values));
      }
    });
    copy.dispose();
    layer.dispose();
  });
});

describe('saving flows', () => {
  it('a MADE keeps its seeded masks: the configuration holds the order and degrees', async () => {
    const made = new MADE({ features: 4, hidden: [6, 6], order: [1, 3, 0, 2], seed: 5 });
    perturb(made, 6);
    const copy = await roundTrip(made);
    expect(copy.getConfig()).toEqual(made.getConfig());
    tf.tidy(() => {
      const x = tf.randomNormal([3, 4], 0, 1, 'float32', 7);
      expect(values(copy.call(x))).toEqual(values(made.call(x)));
    });
    copy.dispose();
    made.dispose();
  });

  it('rejects a configuration whose masks are not MADE degrees', async () => {
    const layer = new MaskedAutoregressiveFlow({ features: 3, hidden: [4], seed: 1 });
    const artifacts = await modelToArtifacts(layer);
    const topology = structuredClone(artifacts.modelTopology) as {
      model: { config: { degrees: number[][] } };
    };
    topology.model.config.degrees = [[0, 1, 7, 1]];
    try {
      modelFromArtifacts({ ...artifacts, modelTopology: topology });
      expect.fail('expected CHECKPOINT_CORRUPT');
    } catch (error) {
      expect(VaeError.isInstance(error) && error.code).toBe('CHECKPOINT_CORRUPT');
      expect((error as Error).message).toMatch(
        /MADE: `degrees` must hold one list per hidden layer/,
      );
    }
    layer.dispose();
  });

  it('a FlowModel loads with a bit-identical density and samples', async () => {
    const model = new FlowModel({
      flow: flowStack({ kind: 'maf', features: 2, layers: 3, hidden: [8], seed: 8 }),
    });
    perturb(model, 9);
    const copy = await roundTrip(model);
    expect(copy).toBeInstanceOf(FlowModel);
    tf.tidy(() => {
      const x = tf.randomNormal([5, 2], 0, 1, 'float32', 10);
      expect(values(copy.logProb(x))).toEqual(values(model.logProb(x)));
      expect(values(copy.sample(6, { seed: 0 }))).toEqual(values(model.sample(6, { seed: 0 })));
    });
    copy.dispose();
    model.dispose();
  });
});

const PRIORS: [string, PriorChoice][] = [
  ['N(0, I)', 'standard-normal'],
  ['MAF flow', { kind: 'flow', layers: 2, hidden: [8] }],
  ['RealNVP flow', { kind: 'flow', flow: 'realnvp', layers: 2, hidden: [8] }],
];

/** Everything the ELBO reads, at fixed noise: q's draws and log-densities, p(z), p(x | z). */
function vaeNumbers(model: VAE, x: tf.Tensor): number[][] {
  return tf.tidy(() => {
    const q = model.encode(x);
    const z = q.rsample([2], 12); // [2, batch, latentDim]
    const logq = q.logProb(z);
    const prior = model.priorDistribution();
    const logPrior = prior.logProb(z);
    const p = model.decode(tf.reshape(z, [-1, model.latentDim]));
    const out = [z, logq, logPrior, p.logProb(tf.concat([x, x]))].map(values);
    q.dispose();
    prior.dispose();
    p.dispose();
    return [...out, values(model.sample(3, { seed: 0 }))];
  });
}

describe.each(PRIORS)('a VAE with an IAF posterior and a %s prior', (_, prior) => {
  it('saves and loads with bit-identical posterior draws, log-densities and samples', async () => {
    const model = mlpVAE({
      inputShape: [6],
      hidden: [5],
      latentDim: 2,
      posterior: { kind: 'iaf', layers: 2, hidden: [8] },
      prior,
      seed: 13,
    });
    perturb(model, 14, 0.1);
    expect(model.encoder).toBeInstanceOf(FlowEncoder);
    const copy = await loadVAE(await modelToArtifacts(model));
    expect(copy.encoder).toBeInstanceOf(FlowEncoder);
    expect(copy.prior.constructor).toBe(model.prior.constructor);
    expect(weights(copy)).toEqual(weights(model));
    const x = tf.tidy(() =>
      tf.cast(tf.greater(tf.randomUniform([3, 6], 0, 1, 'float32', 15), 0.5), 'float32'),
    );
    expect(vaeNumbers(copy, x)).toEqual(vaeNumbers(model, x));
    x.dispose();
    copy.dispose();
    model.dispose();
  });
});

describe('flow presets', () => {
  it('name their parameters under encoder.gaussian / encoder.flow and prior.flow', () => {
    const model = mlpVAE({
      inputShape: [6],
      hidden: [5],
      latentDim: 2,
      posterior: { kind: 'iaf', layers: 2, hidden: [8] },
      prior: { kind: 'flow', layers: 1, hidden: [8] },
      seed: 1,
    });
    const names = model.namedParameters().map(([n]) => n);
    expect(names).toContain('encoder.gaussian.body.0.weight');
    expect(names).toContain('encoder.flow.0.made.0.weight');
    expect(names).toContain('encoder.flow.0.made.context.weight');
    expect(names).toContain('encoder.flow.2.made.outputContext.weight'); // after the reversal
    expect(names).toContain('prior.flow.0.made.output.bias');
    expect(model.prior).toBeInstanceOf(FlowPrior);
    model.dispose();
  });

  it('a conv VAE takes an IAF posterior too', async () => {
    const model = convVAE({
      inputShape: [8, 8, 1],
      channels: [2, 3],
      hidden: 4,
      latentDim: 2,
      posterior: { kind: 'iaf', layers: 1, hidden: [6] },
      seed: 1,
    });
    const copy = await roundTrip(model);
    expect(copy.encoder).toBeInstanceOf(FlowEncoder);
    expect(weights(copy)).toEqual(weights(model));
    copy.dispose();
    model.dispose();
  });

  it('reject what they cannot build', () => {
    expect(() =>
      mlpVAE({ inputShape: [4], latentDim: 2, posterior: { kind: 'maf', layers: 1 } as never }),
    ).toThrow(/`posterior` must be 'gaussian' or \{ kind: 'iaf', layers \}/);
    expect(() =>
      mlpVAE({
        inputShape: [4],
        latentDim: 1,
        prior: { kind: 'flow', flow: 'realnvp', layers: 1 },
      }),
    ).toThrow(/RealNVP prior needs latentDim >= 2/);
    expect(() => flowStack({ kind: 'planar', features: 2, layers: 1, contextFeatures: 3 })).toThrow(
      /only 'maf' and 'iaf' layers take a context/,
    );
  });
});
