// Every use of TensorFlow.js internals in @vae/distributions, and nothing else (issue 9).
// test/tfjs-internals.test.ts checks it against the installed tfjs-core and names what
// broke; the peer range in package.json (~4.22.0) is what that test covers.
//
// 1. `tf.engine().isTapeOn()`: whether a gradient is being recorded right now. The
//    special functions and the Gamma sampler skip their gradient machinery (a second
//    series, host-computed slopes) when nothing will ask for it.
import * as tf from '@tensorflow/tfjs-core';

/** Whether the ops run now are recorded for a gradient (inside `tf.grad`, `variableGrads`, ...). */
export function isRecordingGradients(): boolean {
  return tf.engine().isTapeOn();
}
