import * as tf from '@tensorflow/tfjs-core';
import { matrixDiagPart } from '@vae/divergence';
import { broadcastWithParams, ensureTrailing } from '../internal/bijector-shapes.js';
import { finiteReal, independent, nonZero, real, realVector } from '../internal/constraints.js';
import { sumRightmost } from '../internal/math.js';
import { type ParamLike, ParamScope } from '../internal/params.js';
import { trilMatvec, trilSolve } from '../internal/tril-ops.js';
import { Bijector, type BijectorOptions } from './bijector.js';

/**
 * Options of {@link Affine}: `shift` plus either a diagonal `scale` or a lower-triangular
 * `scaleTril` (neither: scale 1).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Affine, type AffineOptions } from '@vae/distributions';
 *
 * const diagonal: AffineOptions = { shift: [1, 2], scale: [0.5, -3] };
 * const full: AffineOptions = { shift: [1, 2], scaleTril: [[2, 0], [0.5, 1]] };
 * new Affine(diagonal).forward([2, 2]).print(); // -> [2, -4]
 * new Affine(full).forward([2, 2]).print(); // -> [5, 5]
 * ```
 */
export interface AffineOptions extends BijectorOptions {
  /** Finite offset: `[..., d]` with `scaleTril`, else broadcast against x (default 0). */
  shift?: ParamLike;
  /** Finite non-zero elementwise factors, broadcast against x (torch's `AffineTransform`). */
  scale?: ParamLike;
  /** `[..., d, d]` lower-triangular factor with a non-zero diagonal (only that triangle is read). */
  scaleTril?: ParamLike;
  /**
   * With `scale`: trailing axes forming one event, whose log-dets are summed (torch's
   * `event_dim`, default 0). With `scaleTril` it is always 1.
   */
  eventRank?: number;
}

/**
 * y = shift + scale * x elementwise (torch's `AffineTransform`; log-det sum of log |scale| over
 * the `eventRank` trailing axes), or y = shift + L x with a lower-triangular `scaleTril` L over
 * vectors `[..., d]` (TFP's `ScaleMatvecTriL` then `Shift`; log-det sum_i log |L_ii|, the
 * inverse by triangular substitution). Maps a standard normal to any multivariate normal.
 * Parameters are borrowed and read at each call, so they may be `tf.Variable`s of a trainable
 * flow (tensors built from numbers are owned and freed by `dispose()`).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Affine } from '@vae/distributions';
 *
 * const affine = new Affine({ shift: [1, 2], scaleTril: [[2, 0], [0.5, 1]] });
 * affine.forward([1, 1]).print(); // -> [3, 3.5]
 * // log 2:
 * affine.forwardLogDetJacobian([1, 1]).print(); // -> 0.6931
 * affine.dispose();
 * ```
 */
export class Affine extends Bijector {
  /** The offset as a float32 tensor (0 when none was given). */
  readonly shift: tf.Tensor;
  /** The diagonal factor (`undefined` with `scaleTril`). */
  readonly scale: tf.Tensor | undefined;
  /** The triangular factor (`undefined` with a diagonal scale); only its lower triangle is read. */
  readonly scaleTril: tf.Tensor | undefined;
  private readonly eventRank: number;

  /**
   * Builds the bijector from its parameters (numbers, nested arrays or tensors,
   * borrowed; a `tf.Variable` is read at each call, so gradients reach it).
   *
   * @param options - `shift` and `scale` (elementwise over `eventRank` axes) or `scaleTril` (a
   *   lower-triangular matrix, for vectors), `validateArgs` (default true: check the parameters,
   *   reading them back), and `cache` (see {@link AffineOptions}).
   */
  constructor(options: AffineOptions = {}) {
    const scope = new ParamScope('Affine', options);
    if (options.scale !== undefined && options.scaleTril !== undefined) {
      scope.fail('Affine: pass `scale` or `scaleTril`, not both');
    }
    const shift = scope.param('shift', options.shift ?? 0, finiteReal);
    let scale: tf.Tensor | undefined;
    let scaleTril: tf.Tensor | undefined;
    let eventRank = options.eventRank ?? 0;
    if (options.scaleTril === undefined) {
      scale = scope.param('scale', options.scale ?? 1, nonZero);
      if (!Number.isInteger(eventRank) || eventRank < 0) {
        scope.fail(`Affine: \`eventRank\` must be a non-negative integer, got ${eventRank}`);
      }
    } else {
      scaleTril = parseScaleTril(scope, options.scaleTril, shift);
      eventRank = 1;
    }
    const domain =
      scaleTril !== undefined ? realVector : eventRank === 0 ? real : independent(real, eventRank);
    super({ name: 'Affine', domain, codomain: domain, cache: options.cache, owned: scope.owned });
    this.shift = shift;
    this.scale = scale;
    this.scaleTril = scaleTril;
    this.eventRank = eventRank;
  }

  override forwardShape(shape: readonly number[]): number[] {
    this.checkRank('forwardShape', shape, this.eventRank);
    return this.broadcastShape('Affine.forwardShape', shape);
  }

  override inverseShape(shape: readonly number[]): number[] {
    this.checkRank('inverseShape', shape, this.eventRank);
    return this.broadcastShape('Affine.inverseShape', shape);
  }

  /** sign(scale) for the elementwise form (event rank 0); `UNSUPPORTED` otherwise. */
  override sign(): number | tf.Tensor {
    if (this.scale === undefined || this.eventRank > 0) return super.sign();
    return tf.sign(this.scale);
  }

  protected computeForward(x: tf.Tensor): tf.Tensor {
    this.broadcastShape('Affine.forward', x.shape);
    const scaled =
      this.scale !== undefined ? tf.mul(x, this.scale) : trilMatvec(this.lowerTriangle(), x);
    return tf.add(scaled, this.shift);
  }

  protected computeInverse(y: tf.Tensor): tf.Tensor {
    this.broadcastShape('Affine.inverse', y.shape);
    const centred = tf.sub(y, this.shift);
    return this.scale !== undefined
      ? tf.div(centred, this.scale)
      : trilSolve(this.lowerTriangle(), centred);
  }

  protected computeForwardLogDet(x: tf.Tensor): tf.Tensor {
    const shape = this.broadcastShape('Affine.forwardLogDetJacobian', x.shape);
    if (this.scale !== undefined) {
      // zerosLike(x) keeps the log-det on x's tape (a zero gradient rather than none).
      const logScale = tf.add(tf.zerosLike(x), tf.log(tf.abs(this.scale)));
      return sumRightmost(tf.broadcastTo(logScale, shape), this.eventRank);
    }
    const logDiagonal = tf.sum(tf.log(tf.abs(matrixDiagPart(this.scaleTril!))), -1);
    return tf.broadcastTo(tf.add(tf.sum(tf.zerosLike(x), -1), logDiagonal), shape.slice(0, -1));
  }

  /**
   * L, read from `scaleTril` at each call (it may be a `tf.Variable` that training updates);
   * masked by a product, since the gradient of tfjs's `bandPart` fails (it unstacks).
   */
  private lowerTriangle(): tf.Tensor {
    const d = this.scaleTril!.shape[this.scaleTril!.rank - 1]!;
    const mask = Array.from({ length: d * d }, (_, k) => (k % d <= Math.floor(k / d) ? 1 : 0));
    return tf.mul(this.scaleTril!, tf.tensor2d(mask, [d, d]));
  }

  private broadcastShape(where: string, shape: readonly number[]): number[] {
    if (this.scaleTril === undefined) {
      return broadcastWithParams(where, shape, [this.shift.shape, this.scale!.shape]);
    }
    const d = this.scaleTril.shape[this.scaleTril.rank - 1]!;
    ensureTrailing(where, shape, [d]);
    const batch = broadcastWithParams(where, shape.slice(0, -1), [
      this.scaleTril.shape.slice(0, -2),
      this.shift.shape.slice(0, -1),
    ]);
    return [...batch, d];
  }
}

/** `scaleTril` `[..., d, d]`, checked against `shift` `[..., d]` (its diagonal with validation). */
function parseScaleTril(scope: ParamScope, value: ParamLike, shift: tf.Tensor): tf.Tensor {
  const raw = scope.param('scaleTril', value, finiteReal);
  const d = raw.shape[raw.rank - 1];
  if (raw.rank < 2 || raw.shape[raw.rank - 2] !== d) {
    scope.fail(`Affine: \`scaleTril\` must be [..., d, d], got shape [${raw.shape.join(', ')}]`);
  }
  if (shift.rank > 0 && shift.shape[shift.rank - 1] !== d && shift.shape[shift.rank - 1] !== 1) {
    scope.fail(
      `Affine: \`shift\` must be [..., ${d}] to match \`scaleTril\`, got shape [${shift.shape.join(', ')}]`,
    );
  }
  if (scope.validate) {
    const diagonal = matrixDiagPart(raw);
    try {
      scope.check('scaleTril', diagonal, {
        description: 'a factor with a finite non-zero diagonal (the diagonal shown)',
        check: nonZero.check,
      });
    } finally {
      diagonal.dispose();
    }
  }
  return raw;
}
