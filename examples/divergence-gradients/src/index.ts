// The tutorial's computations, browser-safe and importable: `src/main.ts` prints them,
// `test/tutorial.node.test.ts` checks them. Only @vae/divergence and tfjs-core.
import * as tf from '@tensorflow/tfjs-core';
import { ensureGradients, kl, klNormal } from '@vae/divergence';

/** Gradients of KL(N(loc, scale) || N(0, 1)) three ways, at one point. */
export interface KlGradients {
  /** From `tf.grad` through `klNormal`: [d/dloc, d/dscale]. */
  autodiff: [number, number];
  /** The formula: d/dloc = loc, d/dscale = scale - 1 / scale. */
  formula: [number, number];
  /** Central finite differences of `klNormal` with step 1e-2 (float32). */
  finiteDifferences: [number, number];
}

const scalar = (t: tf.Tensor): number => t.dataSync()[0]!;

/**
 * Differentiates the closed-form KL(N(loc, scale) || N(0, 1)) =
 * (loc² + scale² - 1) / 2 - log scale with respect to both parameters.
 */
export async function klNormalGradients(loc: number, scale: number): Promise<KlGradients> {
  await ensureGradients(); // tfjs-core registers no gradients by itself; this is the one call
  const klAt = (l: tf.Tensor, s: tf.Tensor) =>
    klNormal({ loc: l, scale: s }, { loc: 0, scale: 1 }, { validateArgs: false }) as tf.Scalar;
  const autodiff = tf.tidy(() => {
    const [dLoc, dScale] = tf.grads((l: tf.Tensor, s: tf.Tensor) => klAt(l, s))([
      tf.scalar(loc),
      tf.scalar(scale),
    ]);
    return [scalar(dLoc!), scalar(dScale!)] as [number, number];
  });
  const h = 1e-2;
  const value = (l: number, s: number) => tf.tidy(() => scalar(klAt(tf.scalar(l), tf.scalar(s))));
  const finiteDifferences: [number, number] = [
    (value(loc + h, scale) - value(loc - h, scale)) / (2 * h),
    (value(loc, scale + h) - value(loc, scale - h)) / (2 * h),
  ];
  return { autodiff, formula: [loc, scale - 1 / scale], finiteDifferences };
}

/** A normal fitted to the two-mode target on the grid. */
export interface NormalFit {
  loc: number;
  scale: number;
  /** The divergence minimized, at the end (nats). */
  divergence: number;
}

/** The grid the densities live on: 201 points on [-6, 6]. */
export const GRID = Array.from({ length: 201 }, (_, i) => -6 + (12 * i) / 200);

/** Log-weights (unnormalized) of N(loc, scale) on the grid: -(x - loc)² / (2 scale²). */
function normalLogits(loc: tf.Tensor, logScale: tf.Tensor, grid: tf.Tensor): tf.Tensor {
  return tf.div(tf.square(tf.sub(grid, loc)), tf.mul(-2, tf.exp(tf.mul(2, logScale))));
}

/** The target: an even mixture of N(-2, 0.5²) and N(2, 0.5²), as logits on the grid. */
export function targetLogits(): tf.Tensor1D {
  return tf.tidy(() => {
    const grid = tf.tensor1d(GRID);
    const bump = (center: number) => tf.exp(tf.div(tf.square(tf.sub(grid, center)), -2 * 0.25));
    return tf.log(tf.add(bump(-2), bump(2))) as tf.Tensor1D;
  });
}

/**
 * Fits N(loc, scale) on the grid to the two-mode target by gradient descent
 * (Adam) on KL(target || q) (`'forward'`: mode-covering) or on KL(q || target)
 * (`'reverse'`: mode-seeking), starting from N(1, 0.5²), nearer the right mode.
 */
export async function fitNormal(direction: 'forward' | 'reverse', steps = 300): Promise<NormalFit> {
  await ensureGradients();
  const grid = tf.tensor1d(GRID);
  const target = targetLogits();
  const start = [tf.scalar(1), tf.scalar(Math.log(0.5))];
  const [loc, logScale] = start.map((value) => tf.variable(value));
  tf.dispose(start); // a variable holds a copy of its initial value
  const optimizer = tf.train.adam(0.05);
  const divergence = () => {
    const q = normalLogits(loc!, logScale!, grid);
    // { logits: true }: both arguments are logits over the grid; kl normalizes them.
    const options = { logits: true, validateArgs: false } as const;
    return (direction === 'forward' ? kl(target, q, options) : kl(q, target, options)) as tf.Scalar;
  };
  for (let step = 0; step < steps; step++) optimizer.minimize(divergence, false, [loc!, logScale!]);
  const final = tf.tidy(() => scalar(divergence()));
  const fit = { loc: scalar(loc!), scale: Math.exp(scalar(logScale!)), divergence: final };
  tf.dispose([grid, target, loc!, logScale!]);
  optimizer.dispose();
  return fit;
}
