// The contract of src/internal/tfjs-internals.ts: what @vae/nn relies on in tfjs-core
// beyond its public ops, checked against the installed version. A failure names the
// tfjs version and what changed (see the peer range in package.json).
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, tfjsContract, thrownBy } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import { customGradWithSaved, fusedMatMul } from '../src/internal/tfjs-internals.js';

const contract = tfjsContract('@vae/nn');

describe('tfjs internals @vae/nn relies on', () => {
  it('runs _FusedMatMul by name: activation(a @ b + bias) in one kernel', () => {
    contract(
      tf.getKernel('_FusedMatMul', tf.getBackend()) !== undefined,
      `the _FusedMatMul kernel of the ${tf.getBackend()} backend`,
      "Linear's forward pass",
    );
    const a = tf.tensor3d([[[1, -2, 3]]]);
    const b = tf.tensor3d([[[1], [1], [-1]]]);
    const bias = tf.tensor1d([0.5]);
    let y: tf.Tensor | undefined;
    const error = thrownBy(() => {
      y = fusedMatMul(a, b, { bias, activation: 'relu', leakyreluAlpha: 0.2 });
    });
    contract(error === undefined, `_FusedMatMul's inputs or attributes (${error})`, 'Linear');
    expectClose(y!, [0]); // relu(1 - 2 - 3 + 0.5); WebGL gives -0, which toEqual tells from 0
    const leaky = fusedMatMul(a, b, { bias, activation: 'leakyrelu', leakyreluAlpha: 0.2 });
    expectClose(leaky, [-0.7]);
    tf.dispose([a, b, bias, y!, leaky]);
  });

  it('says whether a gradient is being recorded (tf.engine().isTapeOn())', () => {
    const inside: boolean[] = [];
    tf.grad((x: tf.Tensor) => {
      inside.push(tf.engine().isTapeOn());
      return tf.sum(x);
    })(tf.scalar(1)).dispose();
    contract(
      inside[0] === true && !tf.engine().isTapeOn(),
      'tf.engine().isTapeOn()',
      'keeping backward-pass tensors only while a gradient is recorded',
    );
  });

  it("attaches kept tensors to the op's node of the live tape, and the engine frees them after backprop", async () => {
    // y = x^3 with dy/dx = 3 x^2 read from a kept alias of x, made outside the op as
    // the layers do (the test-mode leak check counts data made inside): if the alias were
    // not attached to the tape (activeTape, node.saved), it would be freed before the
    // backward pass reads it.
    const cube = (x: tf.Tensor) =>
      tf.tidy(() => {
        const input = tf.mul(x, 1);
        return customGradWithSaved([input], (keep) => {
          const kept = keep(input);
          return {
            value: tf.pow(input, 3),
            gradFunc: (dy) => [tf.mul(dy, tf.mul(3, tf.square(kept)))],
          };
        });
      });
    const x = tf.tensor1d([1, -2]);
    await expectNoLeaks(() => {
      let gradient: tf.Tensor | undefined;
      const error = thrownBy(() => {
        gradient = tf.grad((t: tf.Tensor) => tf.sum(cube(t)))(x);
      });
      contract(
        error === undefined,
        `the gradient tape's nodes (engine().state.activeTape, node.saved): ${error}`,
        'the backward passes of Linear, Conv2d, ConvTranspose2d and the Bernoulli decoder',
      );
      expect(Array.from(gradient!.dataSync())).toEqual([3, 12]);
      gradient!.dispose();
      cube(x).dispose(); // outside a gradient nothing is kept
    });
    x.dispose();
  });
});
