// Fitting one normal q = N(loc, scale^2) to a two-mode mixture p:
//   forward KL(p || q) = E_p[log p - log q]  -> q covers both modes (matches p's mean and variance);
//   reverse KL(q || p) = E_q[log q - log p]  -> q locks onto one mode and is too narrow.
import * as tf from '@tensorflow/tfjs-core';

const LOG_2PI = Math.log(2 * Math.PI);

/** A one-dimensional mixture of normals. */
export interface Mixture {
  weights: number[];
  locs: number[];
  scales: number[];
}

/** A normal N(loc, scale^2). */
export interface NormalFit {
  loc: number;
  scale: number;
}

/** The target of the demo: two well-separated modes of unequal weight. */
export const TWO_MODES: Mixture = { weights: [0.35, 0.65], locs: [-2.5, 2], scales: [0.6, 0.8] };

function normalLogProb(
  x: tf.Tensor,
  loc: tf.Tensor | number,
  scale: tf.Tensor | number,
): tf.Tensor {
  const z = tf.div(tf.sub(x, loc), scale);
  return tf.sub(tf.mul(tf.square(z), -0.5), tf.add(tf.log(scale), 0.5 * LOG_2PI));
}

/** log p(x) of the mixture, elementwise (log-sum-exp over components). */
export function mixtureLogProb(mixture: Mixture, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const parts = mixture.locs.map((loc, i) =>
      tf.add(normalLogProb(x, loc, mixture.scales[i]!), Math.log(mixture.weights[i]!)),
    );
    return tf.logSumExp(tf.stack(parts), 0);
  });
}

/** The mixture's mean and variance in closed form. */
export function mixtureMoments(mixture: Mixture): { mean: number; variance: number } {
  const mean = mixture.weights.reduce((s, w, i) => s + w * mixture.locs[i]!, 0);
  const second = mixture.weights.reduce(
    (s, w, i) => s + w * (mixture.scales[i]! ** 2 + mixture.locs[i]! ** 2),
    0,
  );
  return { mean, variance: second - mean * mean };
}

/** Draws `n` samples of the mixture (seeded): pick a component, then a normal draw. */
export function sampleMixture(mixture: Mixture, options: { n: number; seed: number }): tf.Tensor1D {
  return tf.tidy(() => {
    const u = tf.randomUniform([options.n], 0, 1, 'float32', options.seed);
    const eps = tf.randomNormal([options.n], 0, 1, 'float32', options.seed + 1);
    let loc: tf.Tensor = tf.fill([options.n], mixture.locs[0]!);
    let scale: tf.Tensor = tf.fill([options.n], mixture.scales[0]!);
    let cumulative = mixture.weights[0]!;
    for (let i = 1; i < mixture.locs.length; i++) {
      const here = tf.greaterEqual(u, cumulative);
      loc = tf.where(here, tf.fill([options.n], mixture.locs[i]!), loc);
      scale = tf.where(here, tf.fill([options.n], mixture.scales[i]!), scale);
      cumulative += mixture.weights[i]!;
    }
    return tf.add(loc, tf.mul(scale, eps)) as tf.Tensor1D;
  });
}

/**
 * Minimizes forward KL(p || q) over normals q. Since E_p[log p] does not depend on q, this
 * maximizes E_p[log q], whose Monte Carlo optimum from samples of p is their mean and standard
 * deviation; the exact optimum is moment matching (`mixtureMoments`).
 */
export function forwardFit(
  mixture: Mixture,
  options: { samples: number; seed: number },
): NormalFit {
  return tf.tidy(() => {
    const x = sampleMixture(mixture, { n: options.samples, seed: options.seed });
    const { mean, variance } = tf.moments(x);
    return { loc: mean.dataSync()[0]!, scale: Math.sqrt(variance.dataSync()[0]!) };
  });
}

/** Options of {@link reverseFit}. */
export interface ReverseFitOptions {
  /** Starting mean of q (default 0.5: between the modes, slightly to the right). */
  initLoc?: number;
  /** Starting scale of q (default 3). */
  initScale?: number;
  steps?: number;
  learningRate?: number;
  /** Draws of eps per step for the reparameterized estimate. */
  samples?: number;
  seed?: number;
}

/**
 * Minimizes reverse KL(q || p) = E_q[log q - log p] with reparameterized samples
 * z = loc + scale * eps and Adam. Needs tfjs gradients registered (vitest's setup does it;
 * in plain Node `main.ts` calls `ensureGradients()` from `@vae/trainer`).
 */
export function reverseFit(
  mixture: Mixture,
  options: ReverseFitOptions = {},
): NormalFit & { history: number[] } {
  const { initLoc = 0.5, initScale = 3, steps = 600, learningRate = 0.05, samples = 256 } = options;
  const seed = options.seed ?? 0;
  // Made inside tidy so the initial scalars are freed (variables are not tracked by tidy).
  const [loc, logScale] = tf.tidy(() => [
    tf.variable(tf.scalar(initLoc)),
    tf.variable(tf.scalar(Math.log(initScale))),
  ]);
  const optimizer = tf.train.adam(learningRate);
  const history: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = optimizer.minimize(() => {
      const eps = tf.randomNormal([samples], 0, 1, 'float32', seed + step);
      const scale = tf.exp(logScale);
      const z = tf.add(loc, tf.mul(scale, eps));
      const logQ = normalLogProb(z, loc, scale);
      return tf.mean(tf.sub(logQ, mixtureLogProb(mixture, z))) as tf.Scalar;
    }, true);
    history.push(loss!.dataSync()[0]!);
    loss!.dispose();
  }
  const fit = { loc: loc.dataSync()[0]!, scale: Math.exp(logScale.dataSync()[0]!), history };
  optimizer.dispose();
  tf.dispose([loc, logScale]);
  return fit;
}

/** Monte Carlo KL(p || q) and KL(q || p) for a fitted normal q (seeded). */
export function klBothWays(
  mixture: Mixture,
  q: NormalFit,
  options: { samples: number; seed: number },
): { forward: number; reverse: number } {
  return tf.tidy(() => {
    const fromP = sampleMixture(mixture, { n: options.samples, seed: options.seed });
    const forward = tf.mean(
      tf.sub(mixtureLogProb(mixture, fromP), normalLogProb(fromP, q.loc, q.scale)),
    );
    const eps = tf.randomNormal([options.samples], 0, 1, 'float32', options.seed + 2);
    const fromQ = tf.add(q.loc, tf.mul(q.scale, eps));
    const reverse = tf.mean(
      tf.sub(normalLogProb(fromQ, q.loc, q.scale), mixtureLogProb(mixture, fromQ)),
    );
    return { forward: forward.dataSync()[0]!, reverse: reverse.dataSync()[0]! };
  });
}

/** Densities of p and of normals on a grid, for plotting. */
export function densitiesOnGrid(
  mixture: Mixture,
  fits: NormalFit[],
  grid: { from: number; to: number; points: number },
): { x: number[]; p: number[]; q: number[][] } {
  return tf.tidy(() => {
    const x = tf.linspace(grid.from, grid.to, grid.points);
    const p = Array.from(tf.exp(mixtureLogProb(mixture, x)).dataSync());
    const q = fits.map((fit) =>
      Array.from(tf.exp(normalLogProb(x, fit.loc, fit.scale)).dataSync()),
    );
    return { x: Array.from(x.dataSync()), p, q };
  });
}
