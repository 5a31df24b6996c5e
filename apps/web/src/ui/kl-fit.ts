// Forward vs reverse KL: fit q = N(mu, sigma^2) to a two-mode
// mixture p by gradient descent (Adam) on KL(p || q) and on KL(q || p), both by
// quadrature on a fine grid, with their gradients in closed form. Plain
// TypeScript: it runs on the page's thread in microseconds while the worker
// trains, and the target can change under it (the modes are draggable).

/** p = weight N(locs[0], scale^2) + (1 - weight) N(locs[1], scale^2). */
export interface Mixture {
  locs: [number, number];
  scale: number;
  /** Weight of the first mode, in (0, 1). */
  weight: number;
}

export const DEFAULT_TARGET: Mixture = { locs: [-2, 2], scale: 0.6, weight: 0.5 };
/** The quadrature grid: from, to, points. */
export const GRID: readonly [number, number, number] = [-8, 8, 641];

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

function logNormal(x: number, loc: number, scale: number): number {
  const u = (x - loc) / scale;
  return -0.5 * u * u - Math.log(scale) - LOG_SQRT_2PI;
}

/** log p(x) of the mixture (log-sum-exp, finite far in the tails). */
export function logMixture(x: number, p: Mixture): number {
  const a = Math.log(p.weight) + logNormal(x, p.locs[0], p.scale);
  const b = Math.log(1 - p.weight) + logNormal(x, p.locs[1], p.scale);
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

export function normalDensity(x: number, loc: number, scale: number): number {
  return Math.exp(logNormal(x, loc, scale));
}

export interface Fit {
  loc: number;
  scale: number;
  /** The divergence this fit minimizes, at its parameters (nats). */
  kl: number;
}

/** The divergence and its gradient in (mu, log sigma), by quadrature. */
export function klAndGradient(
  direction: 'forward' | 'reverse',
  q: { loc: number; logScale: number },
  logP: Float64Array,
): { kl: number; gradLoc: number; gradLogScale: number } {
  const [from, to, n] = GRID;
  const dx = (to - from) / (n - 1);
  const scale = Math.exp(q.logScale);
  let kl = 0;
  let gradLoc = 0;
  let gradLogScale = 0;
  for (let i = 0; i < n; i++) {
    const x = from + i * dx;
    const u = (x - q.loc) / scale;
    const logQ = -0.5 * u * u - q.logScale - LOG_SQRT_2PI;
    const dLoc = u / scale; // d log q / d mu
    const dLogScale = u * u - 1; // d log q / d log sigma
    const lp = logP[i]!;
    if (direction === 'forward') {
      const p = Math.exp(lp);
      kl += p * (lp - logQ);
      gradLoc -= p * dLoc;
      gradLogScale -= p * dLogScale;
    } else {
      const qx = Math.exp(logQ);
      const r = logQ - lp;
      kl += qx * r;
      gradLoc += qx * dLoc * (r + 1);
      gradLogScale += qx * dLogScale * (r + 1);
    }
  }
  return { kl: kl * dx, gradLoc: gradLoc * dx, gradLogScale: gradLogScale * dx };
}

/** log p on the grid. */
export function logDensityOnGrid(p: Mixture): Float64Array {
  const [from, to, n] = GRID;
  const dx = (to - from) / (n - 1);
  return Float64Array.from({ length: n }, (_, i) => logMixture(from + i * dx, p));
}

/** Adam on one direction of the KL; the target may change between steps. */
export class KlFit {
  readonly direction: 'forward' | 'reverse';
  #loc: number;
  #logScale: number;
  #m = [0, 0];
  #v = [0, 0];
  #t = 0;
  readonly #rate: number;

  constructor(direction: 'forward' | 'reverse', init: { loc: number; scale: number }, rate = 0.1) {
    this.direction = direction;
    this.#loc = init.loc;
    this.#logScale = Math.log(init.scale);
    this.#rate = rate;
  }

  /** Runs `steps` Adam steps on the divergence to `logP` (from {@link logDensityOnGrid}). */
  step(steps: number, logP: Float64Array): Fit {
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    for (let s = 0; s < steps; s++) {
      const g = klAndGradient(this.direction, { loc: this.#loc, logScale: this.#logScale }, logP);
      this.#t++;
      const grads = [g.gradLoc, g.gradLogScale];
      const updates = grads.map((grad, k) => {
        this.#m[k] = b1 * this.#m[k]! + (1 - b1) * grad;
        this.#v[k] = b2 * this.#v[k]! + (1 - b2) * grad * grad;
        const mHat = this.#m[k]! / (1 - b1 ** this.#t);
        const vHat = this.#v[k]! / (1 - b2 ** this.#t);
        return (this.#rate * mHat) / (Math.sqrt(vHat) + eps);
      });
      this.#loc -= updates[0]!;
      this.#logScale -= updates[1]!;
    }
    return this.current(logP);
  }

  current(logP: Float64Array): Fit {
    const q = { loc: this.#loc, logScale: this.#logScale };
    return {
      loc: this.#loc,
      scale: Math.exp(this.#logScale),
      kl: klAndGradient(this.direction, q, logP).kl,
    };
  }
}
