// Forward vs reverse KL (MATH.md section 3): fit q = N(mu, sigma^2) to a
// two-mode mixture p by minimizing KL(p || q) and KL(q || p), both computed by
// quadrature on a fine grid (deterministic, differentiable in mu and log sigma).
import * as tf from '@tensorflow/tfjs-core';

/** The target: 0.5 N(-2, 0.6^2) + 0.5 N(2, 0.6^2) (two separated modes). */
export const TARGET = { locs: [-2, 2], scale: 0.6, weights: [0.5, 0.5] } as const;
export const GRID: readonly [number, number, number] = [-7, 7, 561];

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export function targetDensity(x: number): number {
  const { locs, scale, weights } = TARGET;
  return locs.reduce((sum, loc, i) => {
    const u = (x - loc) / scale;
    return sum + (weights[i]! * Math.exp(-0.5 * u * u - LOG_SQRT_2PI)) / scale;
  }, 0);
}

export function normalDensity(x: number, loc: number, scale: number): number {
  const u = (x - loc) / scale;
  return Math.exp(-0.5 * u * u - LOG_SQRT_2PI) / scale;
}

export interface Fit {
  loc: number;
  scale: number;
  /** The divergence this fit minimizes, at the current parameters (nats). */
  kl: number;
}

/** Gradient descent on one direction of the KL; `step()` runs some Adam steps. */
export class KlFit {
  readonly direction: 'forward' | 'reverse';
  readonly #loc: tf.Variable;
  readonly #logScale: tf.Variable;
  readonly #optimizer: tf.Optimizer;
  readonly #x: tf.Tensor1D;
  readonly #logP: tf.Tensor1D;
  readonly #dx: number;

  constructor(direction: 'forward' | 'reverse', init: { loc: number; scale: number }) {
    this.direction = direction;
    this.#loc = tf.variable(tf.scalar(init.loc));
    this.#logScale = tf.variable(tf.scalar(Math.log(init.scale)));
    this.#optimizer = tf.train.adam(0.1);
    const [from, to, n] = GRID;
    this.#dx = (to - from) / (n - 1);
    this.#x = tf.linspace(from, to, n);
    const p = Array.from({ length: n }, (_, i) => Math.log(targetDensity(from + i * this.#dx)));
    this.#logP = tf.tensor1d(p);
  }

  #kl(): tf.Scalar {
    const logScale = this.#logScale;
    const u = tf.div(tf.sub(this.#x, this.#loc), tf.exp(logScale));
    const logQ = tf.sub(tf.mul(-0.5, tf.square(u)), tf.add(logScale, LOG_SQRT_2PI));
    const [logA, logB] = this.direction === 'forward' ? [this.#logP, logQ] : [logQ, this.#logP];
    // sum_x a(x) (log a - log b) dx, with a = p (forward) or q (reverse).
    return tf.mul(tf.sum(tf.mul(tf.exp(logA), tf.sub(logA, logB))), this.#dx) as tf.Scalar;
  }

  /** Runs `steps` optimizer steps and returns the fit after them. */
  async step(steps: number): Promise<Fit> {
    for (let i = 0; i < steps; i++) {
      tf.tidy(() => {
        this.#optimizer.minimize(() => this.#kl(), false, [this.#loc, this.#logScale]);
      });
    }
    const values = tf.tidy(() => tf.stack([this.#loc, tf.exp(this.#logScale), this.#kl()]));
    const [loc, scale, kl] = await values.data();
    values.dispose();
    return { loc: loc!, scale: scale!, kl: kl! };
  }

  dispose(): void {
    tf.dispose([this.#loc, this.#logScale, this.#x, this.#logP]);
    this.#optimizer.dispose();
  }
}

/** Draws p and both fits on a canvas. */
export function drawFits(canvas: HTMLCanvasElement, forward: Fit, reverse: Fit): void {
  const context = canvas.getContext('2d');
  if (context === null) return;
  const { width, height } = canvas;
  const [from, to] = GRID;
  const pad = 24;
  const maxY = 0.75;
  const px = (x: number) => pad + ((x - from) / (to - from)) * (width - 2 * pad);
  const py = (y: number) => height - pad - (y / maxY) * (height - 2 * pad);
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.strokeStyle = '#999';
  context.beginPath();
  context.moveTo(pad, py(0));
  context.lineTo(width - pad, py(0));
  context.stroke();
  const curve = (f: (x: number) => number, color: string, fill: boolean) => {
    context.beginPath();
    for (let i = 0; i <= 400; i++) {
      const x = from + ((to - from) * i) / 400;
      if (i === 0) context.moveTo(px(x), py(f(x)));
      else context.lineTo(px(x), py(f(x)));
    }
    if (fill) {
      context.lineTo(px(to), py(0));
      context.lineTo(px(from), py(0));
      context.fillStyle = color;
      context.fill();
    } else {
      context.strokeStyle = color;
      context.lineWidth = 2.5;
      context.stroke();
    }
  };
  curve(targetDensity, 'rgba(0, 0, 0, 0.15)', true);
  curve((x) => normalDensity(x, forward.loc, forward.scale), '#1f77b4', false);
  curve((x) => normalDensity(x, reverse.loc, reverse.scale), '#ff7f0e', false);
  context.font = '13px sans-serif';
  context.fillStyle = '#555';
  context.fillText('p (target mixture)', pad + 4, pad);
  context.fillStyle = '#1f77b4';
  context.fillText('q minimizing KL(p || q): covers both modes', pad + 4, pad + 18);
  context.fillStyle = '#ff7f0e';
  context.fillText('q minimizing KL(q || p): locks onto one mode', pad + 4, pad + 36);
}
