import * as tf from '@tensorflow/tfjs-core';
import { formatShape } from './shapes.js';
import { VaeError } from './vae-error.js';

/**
 * Options of {@link assignByName}.
 *
 * @example
 * ```ts
 * import type { AssignByNameOptions } from '@vae/divergence';
 * const options: AssignByNameOptions = { strict: false, source: 'model.json' };
 * ```
 */
export interface AssignByNameOptions {
  /**
   * True (default): every target must get a value and every value must name a
   * target. False: assign the names both sides have, ignore the rest (shapes
   * must still match).
   */
  strict?: boolean;
  /** Names the values in error messages: a file path, `'the checkpoint'`. */
  source?: string;
  /** Only check that the values fit (and throw if not); assign nothing. Default false. */
  validateOnly?: boolean;
}

const LISTED = 8;

function list(names: readonly string[]): string {
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown}, ... (${names.length} in all)` : shown;
}

/**
 * Assigns `values` to the variables of `targets` by name: the state-dict load of
 * torch (`load_state_dict`). Every check runs before anything is assigned, so on
 * error no variable has changed. The values stay the caller's; the variables get
 * copies.
 *
 * @param targets - `[name, variable]` pairs, e.g. a module's `namedParameters()`.
 * @param values - Tensors by name: a `Map` or a `tf.NamedTensorMap`.
 * @param options - `strict` (default true), `source` for messages, `validateOnly`.
 * @throws `VaeError('CHECKPOINT_MISMATCH')` listing the missing, unexpected and
 *   mis-shaped names (and dtype mismatches).
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { assignByName } from '@vae/divergence';
 *
 * const w = tf.variable(tf.zeros([2, 3]));
 * assignByName([['layer.weight', w]], { 'layer.weight': tf.ones([2, 3]) });
 * w.print(); // -> [[1, 1, 1], [1, 1, 1]]
 * ```
 */
export function assignByName(
  targets: Iterable<readonly [string, tf.Variable]>,
  values: ReadonlyMap<string, tf.Tensor> | tf.NamedTensorMap,
  options: AssignByNameOptions = {},
): void {
  const strict = options.strict ?? true;
  const source = options.source ?? 'the state';
  const given: ReadonlyMap<string, tf.Tensor> =
    values instanceof Map ? values : new Map(Object.entries(values as tf.NamedTensorMap));
  const wanted = new Map(targets);
  const missing = [...wanted.keys()].filter((name) => !given.has(name));
  const unexpected = [...given.keys()].filter((name) => !wanted.has(name));
  const misShaped: string[] = [];
  const pairs: [tf.Variable, tf.Tensor][] = [];
  for (const [name, variable] of wanted) {
    const value = given.get(name);
    if (value === undefined) continue;
    if (!tf.util.arraysEqual(value.shape, variable.shape) || value.dtype !== variable.dtype) {
      misShaped.push(
        `${name} (${source}: ${value.dtype} ${formatShape(value.shape)}, model: ${variable.dtype} ${formatShape(variable.shape)})`,
      );
    } else {
      pairs.push([variable, value]);
    }
  }
  const problems = [
    ...(strict && missing.length > 0 ? [`missing: ${list(missing)}`] : []),
    ...(strict && unexpected.length > 0 ? [`unexpected: ${list(unexpected)}`] : []),
    ...(misShaped.length > 0 ? [`mis-shaped: ${list(misShaped)}`] : []),
  ];
  if (problems.length > 0) {
    throw new VaeError(
      'CHECKPOINT_MISMATCH',
      `${source} does not fit the model by name (${problems.join('; ')})`,
    );
  }
  if (options.validateOnly === true) return;
  for (const [variable, value] of pairs) variable.assign(value);
}
