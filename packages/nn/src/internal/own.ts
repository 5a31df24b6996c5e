import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '@vae/distributions';

/**
 * Makes `distribution.dispose()` also free `owned`: the tensors a network
 * computed for it and the distributions it was built from (distributions never
 * free what their caller passed in).
 */
export function owning<D extends Distribution>(
  distribution: D,
  owned: readonly (tf.Tensor | { dispose(): void })[],
): D {
  const disposeOwn = distribution.dispose.bind(distribution);
  distribution.dispose = () => {
    disposeOwn();
    for (const item of owned) {
      if (item instanceof tf.Tensor) tf.dispose(item);
      else item.dispose();
    }
  };
  return distribution;
}
