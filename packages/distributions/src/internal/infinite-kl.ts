// KL(p || q) = +Infinity where p puts mass outside q's support (torch's `_infinite_like`).
import * as tf from '@tensorflow/tfjs-core';
import type { Distribution } from '../distribution.js';
import { broadcastShapes } from './shapes.js';

/** +Infinity `[...batch]` over the broadcast of both batch shapes. */
export function infiniteKl(p: Distribution, q: Distribution): tf.Tensor {
  const shape = broadcastShapes([p.batchShape, q.batchShape]) ?? p.batchShape;
  return tf.fill(shape, Number.POSITIVE_INFINITY);
}
