// The batch-shape operations behind Distribution.expand, .slice and .index: how one parameter
// tensor `[...batch, ...event]` is mapped. Families describe their parameters through a
// BatchMapper (see distribution.ts); the mapping itself lives here.
import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';
import type { Distribution } from '../distribution.js';
import { broadcastShapes, formatShape, shapesEqual } from './shapes.js';

/**
 * What a family's `mapBatch` receives from `expand`, `slice` and `index`: the mapped version of
 * each parameter and of each distribution it is built on. The new distribution owns what these
 * return (they are freed with it).
 *
 * @example
 * ```ts
 * // In Independent: the base has `reinterpretedBatchDims` more batch axes than this one.
 * protected override mapBatch(map: BatchMapper): Independent {
 *   return new Independent(map.child(this.base, this.reinterpretedBatchDims), this.reinterpretedBatchDims);
 * }
 * ```
 */
export interface BatchMapper {
  /**
   * The parameter `value` `[...batch, ...event]` (`eventRank` trailing non-batch axes, default
   * 0) mapped to the new batch shape. With `broadcasts`, `value` may have fewer batch axes
   * than the distribution, or axes of size 1, that broadcast against the batch (like the
   * `scaleTril` of a MultivariateNormal); those stay unbroadcast where they can.
   */
  param(value: tf.Tensor, eventRank?: number, options?: { broadcasts?: boolean }): tf.Tensor;
  /** A distribution this one is built on, whose batch has `extraBatchAxes` more trailing axes. */
  child<D extends Distribution>(inner: D, extraBatchAxes?: number): D;
}

/**
 * One batch operation on parameters: `apply` maps a parameter whose batch axes are
 * right-aligned against the distribution's batch shape `source` (a `broadcasts` parameter may
 * have fewer batch axes, or size-1 axes, than `source`). `batchShape` is the result's.
 */
export interface BatchOperation {
  /** The method, for messages (`expand`, `slice`, `index`). */
  readonly method: string;
  /** Batch shape of the result. */
  readonly batchShape: number[];
  apply(param: tf.Tensor, eventRank: number, broadcasts: boolean): tf.Tensor;
}

/** The batch part of a parameter with `eventRank` trailing non-batch axes. */
function batchRankOf(param: tf.Tensor, eventRank: number): number {
  return Math.max(0, param.rank - eventRank);
}

function fail(message: string): never {
  throw new VaeError('INVALID_ARGUMENT', message);
}

/** `expand(batchShape)`: broadcasts every parameter to `[...target, ...event]`. */
export function expandOperation(
  where: string,
  source: readonly number[],
  target: unknown,
): BatchOperation {
  const valid =
    Array.isArray(target) && target.every((size) => Number.isInteger(size) && size >= 0);
  if (!valid) {
    fail(
      `${where}: \`batchShape\` must be an array of non-negative integers, got ${JSON.stringify(target)}`,
    );
  }
  const shape = target as number[];
  const joint = broadcastShapes([source, shape]);
  if (joint === undefined || !shapesEqual(joint, shape)) {
    fail(
      `${where}: the batch shape ${formatShape(source)} does not broadcast to \`batchShape\` ${formatShape(shape)}`,
    );
  }
  return {
    method: 'expand',
    batchShape: [...shape],
    apply(param, eventRank, broadcasts) {
      const split = batchRankOf(param, eventRank);
      const event = param.shape.slice(split);
      const paramBatch = param.shape.slice(0, split);
      const kept = broadcasts && shapesEqual(broadcastShapes([paramBatch, shape]) ?? [], shape);
      if (kept || shapesEqual(param.shape, [...shape, ...event])) return param.clone();
      return tf.broadcastTo(param, [...shape, ...event]);
    },
  };
}

/** Checks `begin`/`size` of a slice over the leading batch axes; returns the full sizes. */
function resolveSlice(
  where: string,
  source: readonly number[],
  range: { begin: unknown; size: unknown },
): { begin: number[]; size: number[] } {
  const { begin, size } = range;
  const isIntegers = (v: unknown): v is number[] =>
    Array.isArray(v) && v.every((x) => Number.isInteger(x));
  if (!isIntegers(begin) || begin.length > source.length || begin.some((b) => b < 0)) {
    fail(
      `${where}: \`begin\` must list at most ${source.length} non-negative integers (one per batch axis), got ${JSON.stringify(begin)}`,
    );
  }
  const sizes = size === undefined ? begin.map(() => -1) : size;
  if (!isIntegers(sizes) || sizes.length !== begin.length) {
    fail(
      `${where}: \`size\` must list one integer per entry of \`begin\`, got ${JSON.stringify(size)}`,
    );
  }
  const resolved = sizes.map((s, axis) => (s === -1 ? source[axis]! - begin[axis]! : s));
  resolved.forEach((s, axis) => {
    if (s < 0 || begin[axis]! + s > source[axis]!) {
      fail(
        `${where}: axis ${axis} of the batch shape ${formatShape(source)} has no range [${begin[axis]}, ${begin[axis]! + s})`,
      );
    }
  });
  return { begin, size: resolved };
}

/** `slice(begin, size)`: a sub-batch over the leading batch axes, keeping every axis. */
export function sliceOperation(
  where: string,
  source: readonly number[],
  range: { begin: unknown; size: unknown },
): BatchOperation {
  const { begin, size } = resolveSlice(where, source, range);
  const batchShape = source.map((n, axis) => (axis < size.length ? size[axis]! : n));
  return {
    method: 'slice',
    batchShape,
    apply(param, eventRank) {
      const split = batchRankOf(param, eventRank);
      const offset = source.length - split;
      const from = param.shape.map(() => 0);
      const count = param.shape.map(() => -1);
      let sliced = false;
      for (let axis = 0; axis < begin.length; axis++) {
        const j = axis - offset;
        // Axes the parameter lacks, or holds with size 1 against a longer batch, broadcast.
        if (j < 0 || (param.shape[j] === 1 && source[axis] !== 1)) continue;
        from[j] = begin[axis]!;
        count[j] = size[axis]!;
        sliced = true;
      }
      return sliced ? tf.slice(param, from, count) : param.clone();
    },
  };
}

/** `index(i, axis)`: member `i` along batch axis `axis`, which disappears. */
export function indexOperation(
  where: string,
  source: readonly number[],
  at: { index: unknown; axis: unknown },
): BatchOperation {
  const { index, axis } = at;
  if (!Number.isInteger(axis) || (axis as number) < 0 || (axis as number) >= source.length) {
    fail(
      `${where}: \`axis\` must be an integer in [0, ${source.length - 1}] for the batch shape ${formatShape(source)}, got ${String(axis)}`,
    );
  }
  const a = axis as number;
  const n = source[a]!;
  if (!Number.isInteger(index) || (index as number) < -n || (index as number) >= n) {
    fail(
      `${where}: \`index\` must be an integer in [${-n}, ${n - 1}] along batch axis ${a} (size ${n}), got ${String(index)}`,
    );
  }
  const i = (index as number) < 0 ? (index as number) + n : (index as number);
  return {
    method: 'index',
    batchShape: source.filter((_, k) => k !== a),
    apply(param, eventRank) {
      const split = batchRankOf(param, eventRank);
      const j = a - (source.length - split);
      if (j < 0) return param.clone();
      if (param.shape[j] === 1 && n !== 1) return tf.squeeze(param, [j]);
      const from = param.shape.map((_, k) => (k === j ? i : 0));
      const count = param.shape.map((_, k) => (k === j ? 1 : -1));
      return tf.squeeze(tf.slice(param, from, count), [j]);
    },
  };
}

/** The same operation seen from a distribution whose batch has `extra` more trailing axes. */
export function shiftOperation(operation: BatchOperation, extra: number): BatchOperation {
  if (extra === 0) return operation;
  return {
    method: operation.method,
    batchShape: operation.batchShape,
    apply: (param, eventRank, broadcasts) => operation.apply(param, eventRank + extra, broadcasts),
  };
}

/** What {@link mapDistribution} built: the distribution and what it must own. */
export interface MappedDistribution {
  readonly result: Distribution;
  readonly tensors: tf.Tensor[];
  readonly children: Distribution[];
  /** Frees everything built (when the result is rejected). */
  release(): void;
}

/**
 * Runs `operation` over `root` and the distributions it is built on: `rebuild` calls a
 * family's `mapBatch` (protected, so Distribution passes it in), `unsupported` throws for a
 * family without one. On failure everything built so far is freed.
 */
export function mapDistribution(
  root: Distribution,
  operation: BatchOperation,
  hooks: {
    rebuild: (d: Distribution, map: BatchMapper) => Distribution | undefined;
    unsupported: (d: Distribution) => never;
  },
): MappedDistribution {
  const tensors: tf.Tensor[] = [];
  const children: Distribution[] = [];
  const release = () => {
    tf.dispose(tensors);
    for (const child of children) child.dispose();
  };
  const mapperFor = (op: BatchOperation): BatchMapper => ({
    param: (value, eventRank = 0, options = {}) => {
      const mapped = tf.tidy(() => op.apply(value, eventRank, options.broadcasts ?? false));
      tensors.push(mapped);
      return mapped;
    },
    child: <D extends Distribution>(inner: D, extraBatchAxes = 0): D => {
      const built = hooks.rebuild(inner, mapperFor(shiftOperation(op, extraBatchAxes)));
      if (built === undefined) return hooks.unsupported(inner);
      children.push(built);
      return built as D;
    },
  });
  try {
    const result = hooks.rebuild(root, mapperFor(operation)) ?? hooks.unsupported(root);
    return {
      result,
      tensors,
      children,
      release: () => {
        release();
        result.dispose();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
