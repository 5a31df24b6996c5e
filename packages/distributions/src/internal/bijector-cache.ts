// The one-pair cache of a bijector (TFP's caching of the last forward/inverse pair).
//
// Ownership rule: an entry *borrows* the caller's tensors (the argument and the result it
// returned) and is used only while both are alive and unchanged (not disposed, same data: a
// `tf.Variable` that was assigned since is a miss). It allocates nothing, so it cannot leak and
// nothing is disposed under its feet: a disposed tensor just makes the entry stale. The one
// exception is a draw of a TransformedDistribution, whose base sample no caller holds: the cache
// *owns* that tensor (kept out of tidy scopes) until the next entry replaces it, `clear()`, or the
// bijector's or distribution's `dispose()`. A hit returns a clone, which the caller owns.
import type * as tf from '@tensorflow/tfjs-core';

/** Which method produced an entry: `forward` maps input x to output y, `inverse` y to x. */
export type Direction = 'forward' | 'inverse';

interface Entry {
  direction: Direction;
  input: tf.Tensor;
  inputData: object;
  output: tf.Tensor;
  outputData: object;
  /** A tensor the cache owns (the input of a distribution's draw), freed on replacement. */
  owned: tf.Tensor | undefined;
}

function alive(t: tf.Tensor, data: object): boolean {
  return !t.isDisposed && t.dataId === data;
}

/** Remembers the last (input, output) pair of one bijector. */
export class PairCache {
  private entry: Entry | undefined;

  constructor(readonly enabled: boolean) {}

  /**
   * The result of `direction` at `value` when `value` is the output of the last call in the
   * other direction: a clone of that call's input, which the caller owns. A call in the same
   * direction recomputes (as cheap as the first, and its gradient stays connected to `value`).
   */
  lookup(direction: Direction, value: unknown): tf.Tensor | undefined {
    const e = this.entry;
    if (e === undefined || direction === e.direction || value !== e.output) return undefined;
    if (!alive(e.input, e.inputData) || !alive(e.output, e.outputData)) return undefined;
    return e.input.clone();
  }

  /** Records a pair the caller holds (borrowed). */
  remember(direction: Direction, input: tf.Tensor, output: tf.Tensor): void {
    this.store({ direction, input, output, owned: undefined });
  }

  /**
   * Records the forward pair of a draw and takes ownership of `input` (already kept out of tidy
   * scopes by the caller); frees it right away when the cache is disabled.
   */
  rememberOwned(input: tf.Tensor, output: tf.Tensor): void {
    this.store({ direction: 'forward', input, output, owned: input });
  }

  /** Forgets the entry and frees what it owned. */
  clear(): void {
    this.entry?.owned?.dispose();
    this.entry = undefined;
  }

  private store(pair: Omit<Entry, 'inputData' | 'outputData'>): void {
    this.clear();
    if (!this.enabled) {
      pair.owned?.dispose();
      return;
    }
    this.entry = { ...pair, inputData: pair.input.dataId, outputData: pair.output.dataId };
  }
}
