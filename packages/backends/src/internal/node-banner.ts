import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-backend-cpu prints "Hi, looks like you are running TensorFlow.js in
 * Node.js. To speed things up dramatically, install our node backend ..." on
 * the first tensor it stores in Node. When the cpu backend was asked for by name
 * (or chosen by `'auto'`, whose fallbacks say why), that advice is noise. tfjs
 * prints it through its `warn`, which the public `PROD` flag silences: store the
 * first tensor with `PROD` on, then put the flag back, so every later tfjs
 * warning still shows.
 */
export function silenceNodeBanner(): void {
  const environment = tf.env();
  const previous = environment.getBool('PROD');
  environment.set('PROD', true);
  try {
    tf.dispose(tf.zeros([1]));
  } finally {
    environment.set('PROD', previous);
  }
}
