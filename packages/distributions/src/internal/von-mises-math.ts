// log I0 and log I1 (modified Bessel functions of the first kind) on tensors, and the Best-Fisher
// rejection sampler of the von Mises distribution on the host.
import * as tf from '@tensorflow/tfjs-core';
import { untaped } from './math.js';

// Abramowitz and Stegun 9.8.1-9.8.4 (as torch.distributions.von_mises): polynomials in
// (x / 3.75)^2 below 3.75 and in 3.75 / x above, relative error below 2e-7.
const I0_SMALL = [1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.0360768, 0.0045813];
const I0_LARGE = [
  0.39894228, 0.01328592, 0.00225319, -0.00157565, 0.00916281, -0.02057706, 0.02635537, -0.01647633,
  0.00392377,
];
const I1_SMALL = [0.5, 0.87890594, 0.51498869, 0.15084934, 0.02658733, 0.00301532, 0.00032411];
const I1_LARGE = [
  0.39894228, -0.03988024, -0.00362018, 0.00163801, -0.01031555, 0.02282967, -0.02895312,
  0.01787654, -0.00420059,
];
const SPLIT = 3.75;

/** c0 + c1 y + c2 y^2 + ... (Horner). */
function evaluate(y: tf.Tensor, coefficients: readonly number[]): tf.Tensor {
  let result: tf.Tensor = tf.fill(y.shape, coefficients[coefficients.length - 1]!);
  for (let i = coefficients.length - 2; i >= 0; i--)
    result = tf.add(tf.mul(result, y), coefficients[i]!);
  return result;
}

/**
 * log(I_order(x) e^-x) for x > 0, order 0 or 1 (scipy's `i0e`/`i1e` in log form), so callers
 * never form kappa - log I0(kappa) from two large numbers. Differentiable through the polynomials.
 */
export function logBesselIScaled(x: tf.Tensor, order: 0 | 1): tf.Tensor {
  const below = untaped(() => tf.less(x, SPLIT));
  const small = tf.where(below, x, tf.fill(x.shape, 1));
  const large = tf.where(below, tf.fill(x.shape, SPLIT), x);
  const ySmall = tf.square(tf.div(small, SPLIT));
  let smallValue = evaluate(ySmall, order === 0 ? I0_SMALL : I1_SMALL);
  if (order === 1) smallValue = tf.mul(small, smallValue);
  const largePoly = evaluate(tf.div(SPLIT, large), order === 0 ? I0_LARGE : I1_LARGE);
  const largeValue = tf.sub(tf.log(largePoly), tf.mul(tf.log(large), 0.5));
  return tf.where(below, tf.sub(tf.log(smallValue), small), largeValue);
}

/** The Best-Fisher envelope parameter r = (1 + rho^2) / (2 rho), with rho = 2k / (tau + sqrt(2 tau)). */
function proposalR(concentration: number): number {
  const tau = 1 + Math.sqrt(1 + 4 * concentration * concentration);
  const rho = (2 * concentration) / (tau + Math.sqrt(2 * tau));
  return (1 + rho * rho) / (2 * rho);
}

/**
 * One von Mises(0, concentration) angle in (-pi, pi] by Best and Fisher's (1979) wrapped-Cauchy
 * rejection sampler, in float64.
 */
export function vonMisesAngle(concentration: number, uniform: () => number): number {
  const r = proposalR(concentration);
  for (;;) {
    const z = Math.cos(Math.PI * uniform());
    const f = Math.min(1, Math.max(-1, (1 + r * z) / (r + z)));
    const c = concentration * (r - f);
    const u2 = uniform();
    const u3 = uniform();
    if (c * (2 - c) - u2 > 0 || Math.log(c / u2) + 1 - c >= 0) {
      return (u3 < 0.5 ? -1 : 1) * Math.acos(f);
    }
  }
}

/** `angle` wrapped into [-pi, pi). */
export function wrapAngle(angle: number): number {
  const turn = 2 * Math.PI;
  return ((((angle + Math.PI) % turn) + turn) % turn) - Math.PI;
}
