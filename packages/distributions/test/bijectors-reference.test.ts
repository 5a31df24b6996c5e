// Every bijector against torch.distributions' transforms in float64 (test/fixtures/bijectors.json).
import type * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  Affine,
  type Bijector,
  Chain,
  CorrCholesky,
  Exp,
  Identity,
  Invert,
  Permute,
  Power,
  Reshape,
  Scale,
  Shift,
  Sigmoid,
  SoftmaxCentered,
  Softplus,
  StickBreaking,
  Tanh,
} from '../src/index.js';
import { type BijectorCase, bijectorReference, checkBijectorCase } from './helpers/reference.js';

type Make = (p: Record<string, tf.Tensor>, c: BijectorCase) => Bijector;

/** How each case's bijector is built from the case's params. */
const factories: Record<string, Make> = {
  Identity: () => new Identity(),
  Shift: (p) => new Shift({ shift: p.shift! }),
  Scale: (p) => new Scale({ scale: p.scale! }),
  Affine: (p) => new Affine({ shift: p.shift!, scale: p.scale! }),
  AffineEventRank1: (p) => new Affine({ shift: p.shift!, scale: p.scale!, eventRank: 1 }),
  AffineTril: (p) => new Affine({ shift: p.shift!, scaleTril: p.scaleTril! }),
  Exp: () => new Exp(),
  Softplus: () => new Softplus(),
  Sigmoid: () => new Sigmoid(),
  Tanh: () => new Tanh(),
  Power: (p) => new Power({ exponent: p.exponent! }),
  Reshape: () => new Reshape({ eventShapeIn: [6], eventShapeOut: [2, 3] }),
  Permute: () => new Permute({ permutation: [2, 0, 3, 1] }),
  ChainAffineStickBreaking: (p) =>
    new Chain([new Affine({ shift: p.shift!, scale: p.scale! }), new StickBreaking()]),
  ChainAffineSigmoid: (p) =>
    new Chain([new Affine({ shift: p.shift!, scale: p.scale! }), new Sigmoid()]),
  InvertSigmoid: () => new Invert(new Sigmoid()),
  InvertExp: () => new Invert(new Exp()),
  StickBreaking: () => new StickBreaking(),
  SoftmaxCentered: () => new SoftmaxCentered(),
  CorrCholesky: () => new CorrCholesky(),
  CorrCholesky2: () => new CorrCholesky(),
};

describe('bijectors against torch.distributions (float64)', () => {
  it('has a factory for every reference case, and a case for every factory', () => {
    const names = bijectorReference().bijectors.map((c) => c.name);
    expect(names.sort()).toEqual(Object.keys(factories).sort());
  });

  for (const c of bijectorReference().bijectors) {
    it(`${c.name}: forward, inverse and log-dets`, async () => {
      await checkBijectorCase(c, factories[c.name]!);
    });
  }
});
