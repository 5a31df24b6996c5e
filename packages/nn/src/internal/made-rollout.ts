import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../activation.js';
import type { Linear } from '../linear.js';
import type { MaskedLinear } from './masked-linear.js';

/**
 * Chooses feature i's values [rows, 1] (a new tensor) from its outputs [rows, k] (column j:
 * parameter j), in {@link MADE.rollout}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import type { RolloutPick } from '@vae/nn';
 * // The probability itself: a plug-in rollout of a binary model's logits.
 * const probability: RolloutPick = (logits) => tf.sigmoid(logits);
 * ```
 */
export type RolloutPick = (outputs: tf.Tensor, feature: number) => tf.Tensor;

/** The pieces of a MADE a rollout reads (borrowed). */
export interface MadeParts {
  features: number;
  outputsPerFeature: number;
  /** The features in the order they are filled: `byPosition[p]` is the feature at position p. */
  byPosition: readonly number[];
  /** The masked layers, the output layer last. */
  layers: readonly MaskedLinear[];
  act: Activation;
  /** The context's layer into the first masked layer (absent without a context). */
  context: Linear | undefined;
  /** The context's layer into the output layer (absent without a context or hidden layer). */
  outputContext: Linear | undefined;
}

/**
 * Fills x [rows, D] feature by feature in the MADE's order, each value picked from the
 * outputs the MADE gives it for the values before it. The first layer's pre-activation is
 * kept and updated by one row of its masked weight per value (NADE's trick: the mask
 * makes the full pass equal to this sum), and only the picked feature's output columns
 * are computed: O(D * rows * H) for one hidden layer, where D full passes cost O(D^2 * rows * H).
 * Returns a new tensor; every intermediate is freed.
 */
export function rolloutMade(
  made: MadeParts,
  pick: RolloutPick,
  input: { rows: number; context: tf.Tensor | undefined },
): tf.Tensor {
  const { rows, context } = input;
  const { features, outputsPerFeature: k, layers, act } = made;
  const first = layers[0]!;
  const output = layers.at(-1)!;
  const columns = new Array<tf.Tensor>(features);
  const kept: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => {
    kept.push(t);
    return t;
  };
  // A bias [n] as [rows, n], so every feature's outputs are [rows, k] even without a context.
  const perRow = (bias: tf.Tensor) => tf.tile(tf.reshape(bias, [1, -1]), [rows, 1]);
  // The first layer's pre-activation with every value still 0: its bias (and context).
  let pre = tf.tidy(() =>
    context === undefined ? perRow(first.bias) : tf.add(first.bias, made.context!.call(context)),
  );
  try {
    const w0 = keep(tf.tidy(() => first.maskedWeight()));
    const deeper = layers.slice(1, -1).map((layer) => ({
      w: keep(tf.tidy(() => layer.maskedWeight())),
      b: layer.bias,
    }));
    const hasHidden = layers.length > 1;
    const wOut = hasHidden ? keep(tf.tidy(() => output.maskedWeight())) : undefined;
    // The output layer's bias and context, [rows, k * D] (column j * D + i: parameter j of i).
    const outBias = hasHidden
      ? keep(
          tf.tidy(() =>
            context === undefined
              ? perRow(output.bias)
              : tf.add(output.bias, made.outputContext!.call(context)),
          ),
        )
      : undefined;
    // Feature i's k columns j * D + i, by slices (gather's gradient is missing on wasm).
    const columnsOf = (t: tf.Tensor, i: number): tf.Tensor => {
      const height = t.shape[0]!;
      const parts = Array.from({ length: k }, (_, j) =>
        tf.slice(t, [0, j * features + i], [height, 1]),
      );
      return k === 1 ? parts[0]! : tf.concat(parts, 1);
    };
    for (const i of made.byPosition) {
      const [value, next] = tf.tidy(() => {
        let outputs: tf.Tensor;
        if (hasHidden) {
          let h = act.call(pre);
          for (const { w, b } of deeper) h = act.call(tf.add(tf.matMul(h, w), b));
          outputs = tf.add(tf.matMul(h, columnsOf(wOut!, i)), columnsOf(outBias!, i));
        } else {
          outputs = columnsOf(pre, i);
        }
        const picked = pick(outputs, i);
        const row = tf.slice(w0, [i, 0], [1, w0.shape[1]!]);
        return [picked, tf.add(pre, tf.mul(picked, row))];
      });
      columns[i] = value;
      pre.dispose();
      pre = next;
    }
    return tf.concat(columns, 1);
  } finally {
    pre.dispose();
    tf.dispose(kept);
    tf.dispose(columns.filter((c) => c !== undefined));
  }
}
