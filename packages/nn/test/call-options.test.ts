// `{ inputGradient: false }` tells a forward pass that its input is data: the first
// Linear skips d/dx (and sums binary rows on wasm). A VampPrior needs its encoder's
// first layer to compute d/dx for the pseudo-inputs, so the choice is made per call:
// the same layer must give the same floats either way, and no gradient to x with false.
import * as tf from '@tensorflow/tfjs-core';
import { seededUniform } from '@vae/divergence';
import { expectNoLeaks, float32Bits } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  type CallOptions,
  type DiagonalNormal,
  GaussianEncoder,
  hierarchicalVAE,
  Linear,
  MADE,
  Module,
  mlpVAE,
  relu,
  Sequential,
  type VAE,
} from '../src/index.js';

/** [rows, cols] of zeros and ones, each 1 with probability `density` (seeded). */
function binary([rows, cols]: [number, number], density: number, seed: number): tf.Tensor2D {
  const uniform = seededUniform(seed);
  const values = Array.from({ length: rows * cols }, () => (uniform() < density ? 1 : 0));
  return tf.tensor2d(values, [rows, cols]);
}

/** The negative single-sample ELBO of `model` on x, encoding x with `options`. */
function loss(model: VAE, x: tf.Tensor, options: CallOptions | undefined): tf.Scalar {
  const q = model.encode(x, options);
  const prior = model.priorDistribution();
  const z = q.rsample([], 3);
  const p = model.decode(z);
  const value = tf.mean(tf.sub(tf.sub(q.logProb(z), prior.logProb(z)), p.logProb(x)));
  for (const d of [q, prior, p]) d.dispose();
  return value as tf.Scalar;
}

/** Loss and variable gradients with `options`, as float32 bit patterns. */
function lossAndGradientBits(model: VAE, x: tf.Tensor, options: CallOptions | undefined) {
  const { value, grads } = tf.variableGrads(
    () => loss(model, x, options),
    model.trainableVariables,
  );
  const bits = {
    value: float32Bits(value),
    grads: model.trainableVariables.map((v) => float32Bits(grads[v.name]!)),
  };
  tf.dispose([value, ...Object.values(grads)]);
  return bits;
}

describe('CallOptions: inputGradient false on data', () => {
  it("leaves a Linear layer's values and weight gradients as they are, and x without a gradient", () => {
    const layer = new Linear({ inFeatures: 50, outFeatures: 30, seed: 1 });
    expect(layer.inputGradient).toBe(true);
    const x = binary([16, 50], 0.13, 2);
    const dy = tf.randomNormal([16, 30], 0, 1, 'float32', 3);
    const run = (options: CallOptions | undefined) => {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.mul(layer.call(x, options), dy)) as tf.Scalar,
        layer.trainableVariables,
      );
      const bits = [value, ...layer.trainableVariables.map((v) => grads[v.name]!)].map(float32Bits);
      tf.dispose([value, ...Object.values(grads)]);
      return bits;
    };
    expect(run({ inputGradient: false })).toEqual(run(undefined));
    const dx = (options: CallOptions | undefined) =>
      tf.grad((input: tf.Tensor) => tf.sum(layer.call(input, options)))(x);
    expect(() => dx({ inputGradient: false })).toThrow();
    const gradient = dx({ inputGradient: true });
    expect(gradient.shape).toEqual([16, 50]);
    // A layer built without input gradients never computes one, whatever the call says.
    const frozen = new Linear({ inFeatures: 50, outFeatures: 30, seed: 1, inputGradient: false });
    expect(() =>
      tf.grad((input: tf.Tensor) => tf.sum(frozen.call(input, { inputGradient: true })))(x),
    ).toThrow();
    tf.dispose([x, dy, gradient]);
    layer.dispose();
    frozen.dispose();
  });

  it('reach only the first layer of a Sequential: the later ones keep their input gradients', () => {
    const net = new Sequential([
      new Linear({ inFeatures: 40, outFeatures: 24, seed: 4 }),
      relu(),
      new Linear({ inFeatures: 24, outFeatures: 8, seed: 5 }),
    ]);
    const x = binary([12, 40], 0.2, 6);
    const run = (options: CallOptions | undefined) => {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.square(net.call(x, options))) as tf.Scalar,
        net.trainableVariables,
      );
      const bits = [value, ...net.trainableVariables.map((v) => grads[v.name]!)].map(float32Bits);
      // The first layer's weight gradient needs the second layer's input gradient.
      const first = grads[net.trainableVariables[0]!.name]!;
      const firstNorm = tf.sum(tf.abs(first)).dataSync()[0]!;
      tf.dispose([value, ...Object.values(grads)]);
      return { bits, firstNorm };
    };
    const [data, plain] = [run({ inputGradient: false }), run(undefined)];
    expect(data.bits).toEqual(plain.bits);
    expect(data.firstNorm).toBeGreaterThan(0);
    expect(() =>
      tf.grad((input: tf.Tensor) => tf.sum(net.call(input, { inputGradient: false })))(x),
    ).toThrow();
    x.dispose();
    net.dispose();
  });

  const models: [string, () => VAE][] = [
    [
      'an MLP VAE with a VampPrior',
      () =>
        mlpVAE({
          inputShape: [784],
          hidden: [64],
          latentDim: 6,
          prior: { kind: 'vamp', components: 5 },
          seed: 7,
        }),
    ],
    [
      'an MLP VAE with a VampPrior and an IAF posterior',
      () =>
        mlpVAE({
          inputShape: [784],
          hidden: [64],
          latentDim: 6,
          prior: { kind: 'vamp', components: 5 },
          posterior: { kind: 'iaf', layers: 2 },
          seed: 8,
        }),
    ],
    [
      'a hierarchical VAE with a VampPrior over z2',
      () =>
        hierarchicalVAE({
          inputShape: [784],
          hidden: [[64], [32]],
          latentDims: [8, 4],
          prior: { kind: 'vamp', components: 5 },
          seed: 9,
        }),
    ],
  ];

  for (const [name, build] of models) {
    it(`give ${name} the same loss and gradients, the pseudo-inputs' included, without leaks`, async () => {
      const model = build();
      const x = binary([32, 784], 0.13, 10);
      const data = lossAndGradientBits(model, x, { inputGradient: false });
      expect(data).toEqual(lossAndGradientBits(model, x, undefined));
      // The pseudo-inputs still learn: their gradient goes through the same first layer.
      const [, pseudo] = model.namedParameters().find(([n]) => n.endsWith('pseudoInputs'))!;
      const { grads } = tf.variableGrads(() => loss(model, x, { inputGradient: false }), [pseudo]);
      expect(tf.sum(tf.abs(grads[pseudo.name]!)).dataSync()[0]!).toBeGreaterThan(0);
      tf.dispose(Object.values(grads));
      expect(() =>
        tf.grad((input: tf.Tensor) => loss(model, input, { inputGradient: false }))(x),
      ).toThrow();
      await expectNoLeaks(() => {
        const { value, grads } = tf.variableGrads(
          () => loss(model, x, { inputGradient: false }),
          model.trainableVariables,
        );
        tf.dispose([value, ...Object.values(grads)]);
      });
      x.dispose();
      model.dispose();
    });
  }
});

/** x -> x * scale: a module of the caller's that knows nothing of CallOptions. */
class Scale extends Module {
  readonly scale = this.addParameter('scale', tf.variable(tf.fill([40], 0.5)));
  call(x: tf.Tensor): tf.Tensor {
    return tf.mul(x, this.scale);
  }
}

describe('Module.callWithOptions', () => {
  const DATA: CallOptions = { inputGradient: false };
  /** Whether d/dx of sum(f(x)) can be taken (tfjs throws when x was passed as data). */
  const hasInputGradient = (f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor) => {
    try {
      tf.grad((input: tf.Tensor) => tf.sum(f(input)))(x).dispose();
      return true;
    } catch {
      return false;
    }
  };

  it('passes the options on through the modules that take them, to the same floats', () => {
    const x = binary([12, 40], 0.2, 11);
    const nested = new Sequential([
      new Sequential([new Linear({ inFeatures: 40, outFeatures: 16, seed: 12 }), relu()]),
      new Linear({ inFeatures: 16, outFeatures: 4, seed: 13 }),
    ]);
    const encoder = new GaussianEncoder({
      body: new Sequential([new Linear({ inFeatures: 40, outFeatures: 16, seed: 14 }), relu()]),
      features: 16,
      latentDim: 3,
      seed: 15,
    });
    const made = new MADE({ features: 40, hidden: [24], outputsPerFeature: 2, seed: 16 });
    const runs: [string, (input: tf.Tensor, options?: CallOptions) => tf.Tensor][] = [
      [
        'a Sequential whose first layer is a Sequential',
        (input, o) => nested.callWithOptions(input, o),
      ],
      ['an encoder', (input, o) => (encoder.callWithOptions(input, o) as DiagonalNormal).loc],
      ['a MADE', (input, o) => made.callWithOptions(input, o)],
    ];
    for (const [name, run] of runs) {
      const bits = (options?: CallOptions) => float32Bits(tf.tidy(() => run(x, options).clone()));
      expect(bits(DATA), name).toEqual(bits());
      expect(
        hasInputGradient((input) => run(input, DATA), x),
        name,
      ).toBe(false);
      expect(
        hasInputGradient((input) => run(input), x),
        name,
      ).toBe(true);
    }
    tf.dispose(x);
    for (const m of [nested, encoder, made]) m.dispose();
  });

  it("is call(x) for a module that takes no options, also as a Sequential's first layer", () => {
    const x = binary([12, 40], 0.2, 17);
    const scale = new Scale();
    const net = new Sequential([scale, new Linear({ inFeatures: 40, outFeatures: 6, seed: 18 })]);
    expect(float32Bits(tf.tidy(() => scale.callWithOptions(x, DATA)))).toEqual(
      float32Bits(tf.tidy(() => scale.call(x))),
    );
    // The Linear is not first, so it keeps d/dx, and the Scale ignores the options.
    expect(hasInputGradient((input) => net.call(input, DATA), x)).toBe(true);
    tf.dispose(x);
    net.dispose();
  });
});
