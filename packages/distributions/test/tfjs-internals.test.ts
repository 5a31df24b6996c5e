// The contract of src/internal/tfjs-internals.ts: what @vae/distributions relies on in
// tfjs-core beyond its public ops, checked against the installed version. A failure
// names the tfjs version and what changed (see the peer range in package.json).
import * as tf from '@tensorflow/tfjs-core';
import { tfjsContract } from '@vae/test-kit';
import { describe, it } from 'vitest';
import { isRecordingGradients } from '../src/internal/tfjs-internals.js';

const contract = tfjsContract('@vae/distributions');

describe('tfjs internals @vae/distributions relies on', () => {
  it('tells whether a gradient is being recorded (tf.engine().isTapeOn())', () => {
    const seen: boolean[] = [];
    const variable = tf.variable(tf.scalar(1));
    tf.grad((x: tf.Tensor) => {
      seen.push(isRecordingGradients());
      return tf.sum(x);
    })(tf.scalar(1)).dispose();
    const { value, grads } = tf.variableGrads(() => {
      seen.push(isRecordingGradients());
      return tf.sum(tf.mul(variable, 2));
    }, [variable]);
    tf.dispose([value, variable, ...Object.values(grads)]);
    seen.push(isRecordingGradients());
    contract(
      seen.join() === 'true,true,false',
      `tf.engine().isTapeOn() (gave ${seen.join(', ')} inside tf.grad, inside tf.variableGrads, outside)`,
      'choosing the reparameterized Gamma sampler and the differentiable special functions',
    );
  });
});
