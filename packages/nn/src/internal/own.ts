import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';

/**
 * Makes `distribution.dispose()` also free `tensors` (the parameters a network
 * computed for it): distributions never free tensors their caller passed in.
 */
export function owning<D extends Distribution>(distribution: D, tensors: tf.Tensor[]): D {
  const disposeOwn = distribution.dispose.bind(distribution);
  distribution.dispose = () => {
    disposeOwn();
    tf.dispose(tensors);
  };
  return distribution;
}
