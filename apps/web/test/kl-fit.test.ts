// The KL demo's arithmetic (src/ui/kl-fit.ts), in Node: the closed-form gradients
// of both quadrature divergences against central finite differences, and where
// Adam ends on the default target.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TARGET,
  KlFit,
  klAndGradient,
  logDensityOnGrid,
  logMixture,
} from '../src/ui/kl-fit.ts';

const logP = logDensityOnGrid(DEFAULT_TARGET);

describe('the forward and reverse KL fits', () => {
  it.each(['forward', 'reverse'] as const)(
    '%s: gradients match finite differences',
    (direction) => {
      for (const q of [
        { loc: 0.8, logScale: Math.log(0.6) },
        { loc: -1.3, logScale: Math.log(1.7) },
        { loc: 2.2, logScale: Math.log(0.4) },
      ]) {
        const h = 1e-5;
        const at = (loc: number, logScale: number) =>
          klAndGradient(direction, { loc, logScale }, logP).kl;
        const g = klAndGradient(direction, q, logP);
        const dLoc = (at(q.loc + h, q.logScale) - at(q.loc - h, q.logScale)) / (2 * h);
        const dLogScale = (at(q.loc, q.logScale + h) - at(q.loc, q.logScale - h)) / (2 * h);
        expect(g.gradLoc).toBeCloseTo(dLoc, 5);
        expect(g.gradLogScale).toBeCloseTo(dLogScale, 5);
        expect(g.kl).toBeGreaterThan(0);
      }
    },
  );

  it('the mixture density integrates to 1 on the grid', () => {
    const [from, to, n] = [-8, 8, 641];
    const dx = (to - from) / (n - 1);
    let total = 0;
    for (let i = 0; i < n; i++) total += Math.exp(logMixture(from + i * dx, DEFAULT_TARGET)) * dx;
    expect(total).toBeCloseTo(1, 6);
  });

  it('forward covers both modes, reverse locks onto one', () => {
    const start = { loc: 0.8, scale: 0.6 };
    const forward = new KlFit('forward', start).step(600, logP);
    const reverse = new KlFit('reverse', start).step(600, logP);
    // Forward KL matches the mixture's mean and spread: sqrt(2^2 + 0.6^2) = 2.088.
    expect(forward.loc).toBeCloseTo(0, 2);
    expect(forward.scale).toBeCloseTo(Math.sqrt(4 + 0.36), 2);
    // Reverse KL sits on the right mode; what it ignores costs log 2.
    expect(reverse.loc).toBeCloseTo(2, 1);
    expect(reverse.scale).toBeCloseTo(0.6, 1);
    expect(reverse.kl).toBeCloseTo(Math.log(2), 2);
  });
});
