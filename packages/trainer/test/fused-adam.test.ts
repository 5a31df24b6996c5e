import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks } from '@vae/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { FusedAdam, trainStep, VaeError } from '../src/index.js';

// [300, 256] is large enough for a moment group of its own; the others share one.
const SHAPES = [[4, 3], [3], [300, 256], [2, 2, 2]] as const;

function makeVariables(seed: number): tf.Variable[] {
  return SHAPES.map((shape, i) =>
    tf.variable(tf.randomNormal([...shape], 0, 1, 'float32', seed + i)),
  );
}

/** A loss that touches every variable non-linearly, so gradients change from step to step. */
function lossOf(variables: tf.Variable[]): () => tf.Scalar {
  return () =>
    tf.addN(
      variables.map((v, i) => tf.sum(tf.mul(tf.sin(tf.mul(v, i + 1)), tf.square(v)))),
    ) as tf.Scalar;
}

const created: { dispose(): void }[] = [];
function track<T extends { dispose(): void }>(thing: T): T {
  created.push(thing);
  return thing;
}
afterEach(() => {
  for (const thing of created.splice(0)) thing.dispose();
});

async function trainTwins(steps: number, clipNorm?: number) {
  const ours = makeVariables(1);
  const theirs = makeVariables(1);
  const fused = track(new FusedAdam(0.05));
  const reference = track(tf.train.adam(0.05));
  for (let step = 0; step < steps; step++) {
    const clip = clipNorm === undefined ? {} : { clipNorm };
    await trainStep(ours, lossOf(ours), { optimizer: fused, ...clip });
    await trainStep(theirs, lossOf(theirs), { optimizer: reference, ...clip });
  }
  for (const v of [...ours, ...theirs]) track(v);
  return { ours, theirs, fused, reference };
}

describe('FusedAdam', () => {
  it('takes the same steps as tf.train.adam through trainStep', async () => {
    const { ours, theirs } = await trainTwins(6);
    for (const [i, v] of ours.entries()) {
      expectClose(v, theirs[i]!, { rtol: 1e-4, atol: 1e-5 });
    }
    // and it moved: the comparison is not between two untouched copies
    const start = makeVariables(1);
    expect(tf.max(tf.abs(tf.sub(ours[0]!, start[0]!))).dataSync()[0]).toBeGreaterThan(0.05);
    tf.dispose(start);
  });

  it('takes the same steps as tf.train.adam when trainStep clips the gradients', async () => {
    const { ours, theirs } = await trainTwins(4, 0.5);
    for (const [i, v] of ours.entries()) {
      expectClose(v, theirs[i]!, { rtol: 1e-4, atol: 1e-5 });
    }
  });

  it('takes the same steps through applyGradients with a gradient map', () => {
    const ours = makeVariables(5).map(track);
    const theirs = makeVariables(5).map(track);
    const fused = track(new FusedAdam(0.01, { beta1: 0.8, beta2: 0.99 }));
    const reference = track(tf.train.adam(0.01, 0.8, 0.99));
    for (let step = 0; step < 4; step++) {
      fused.minimize(lossOf(ours), false, ours);
      reference.minimize(lossOf(theirs), false, theirs);
    }
    for (const [i, v] of ours.entries()) {
      expectClose(v, theirs[i]!, { rtol: 1e-4, atol: 1e-5 });
    }
  });

  it("saves tf.train.adam's weights, and resumes from them", async () => {
    const ours = makeVariables(1).map(track);
    const theirs = makeVariables(1).map(track);
    const fused = track(new FusedAdam(0.05, { variables: ours }));
    const reference = track(tf.train.adam(0.05));
    // The same gradients for both, so the moments must agree to rounding.
    for (let step = 0; step < 3; step++) {
      const gradients = SHAPES.map((shape, i) =>
        tf.randomNormal([...shape], 0, 1, 'float32', 100 * step + i),
      );
      fused.applyGradients(ours.map((v, i) => ({ name: v.name, tensor: gradients[i]! })));
      reference.applyGradients(theirs.map((v, i) => ({ name: v.name, tensor: gradients[i]! })));
      tf.dispose(gradients);
    }
    const saved = await fused.getWeights();
    const expected = await reference.getWeights();
    const layout = (variables: tf.Variable[]) => [
      'iter',
      ...variables.map((v) => `${v.name}/m`),
      ...variables.map((v) => `${v.name}/v`),
    ];
    expect(saved.map((w) => w.name)).toEqual(layout(ours));
    expect(expected.map((w) => w.name)).toEqual(layout(theirs));
    for (const [i, w] of saved.entries()) {
      expectClose(w.tensor, expected[i]!.tensor, { rtol: 1e-5, atol: 1e-7 });
    }

    // A fresh FusedAdam restored from tf.train.adam's state continues as tf.train.adam does.
    const resumed = track(new FusedAdam(0.05));
    await resumed.setWeights(expected);
    for (let step = 0; step < 3; step++) {
      await trainStep(ours, lossOf(ours), { optimizer: resumed });
      await trainStep(theirs, lossOf(theirs), { optimizer: reference });
    }
    for (const [i, v] of ours.entries()) {
      expectClose(v, theirs[i]!, { rtol: 1e-4, atol: 1e-5 });
    }
    const fresh = (weights: { tensor: tf.Tensor }[]) =>
      weights
        .map((w) => w.tensor)
        .filter((t) => typeof (t as Partial<tf.Variable>).assign !== 'function');
    tf.dispose([...fresh(saved), ...fresh(expected)]);
  });

  it('keeps the tensor count constant from step to step', async () => {
    const variables = makeVariables(9).map(track);
    const optimizer = track(new FusedAdam(0.01));
    await trainStep(variables, lossOf(variables), { optimizer }); // creates the moments
    await expectNoLeaks(async () => {
      for (let step = 0; step < 3; step++) {
        await trainStep(variables, lossOf(variables), { optimizer });
      }
    });
  });

  it('rejects bad hyperparameters and a change of variables', async () => {
    expect(() => new FusedAdam(-1)).toThrow(/`learningRate` must be a finite number >= 0/);
    expect(() => new FusedAdam(0.1, { beta1: 1 })).toThrow(/`beta1` must be in \[0, 1\)/);
    expect(() => new FusedAdam(0.1, { epsilon: 0 })).toThrow(VaeError);
    const variables = makeVariables(3).map(track);
    const optimizer = track(new FusedAdam(0.01));
    await trainStep(variables, lossOf(variables), { optimizer });
    const reordered = [variables[1]!, variables[0]!, ...variables.slice(2)];
    await expect(trainStep(reordered, lossOf(reordered), { optimizer })).rejects.toThrow(
      /same variables in the same order/,
    );
  });

  it('applies gradients by name only to variables it was handed, and says how to hand them', () => {
    const [w] = makeVariables(1).map(track);
    const gradient = tf.onesLike(w!);
    const optimizer = track(new FusedAdam(0.01));
    expect(() => optimizer.applyGradients([{ name: w!.name, tensor: gradient }])).toThrow(
      /not handed a variable named .*new FusedAdam\(learningRate, \{ variables \}\)/,
    );
    const before = w!.dataSync()[0]!;
    const handed = track(new FusedAdam(0.01, { variables: [w!] }));
    handed.applyGradients({ [w!.name]: gradient });
    // Adam's first step moves by the learning rate against the gradient's sign.
    expect(w!.dataSync()[0]).toBeCloseTo(before - 0.01, 5);
    gradient.dispose();
  });

  it('refuses restored moments that do not fit the variables', async () => {
    const optimizer = track(new FusedAdam(0.01));
    await optimizer.setWeights([
      { name: 'iter', tensor: tf.scalar(2, 'int32') },
      { name: 'a/m', tensor: tf.zeros([5]) },
      { name: 'a/v', tensor: tf.zeros([5]) },
    ]);
    const variables = makeVariables(4).map(track);
    await expect(trainStep(variables, lossOf(variables), { optimizer })).rejects.toThrow(
      /do not fit the 4 variables/,
    );
  });
});
