// Forward vs reverse KL in the terminal and as a PNG plot:
//   pnpm --filter @vae/example-forward-reverse-kl start [out.png]
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { ensureGradients } from '@vae/trainer';
import { linePlot } from '@vae/viz';
import { writePng } from '@vae/viz/node';
import {
  densitiesOnGrid,
  forwardFit,
  klBothWays,
  mixtureMoments,
  reverseFit,
  TWO_MODES,
} from './forward-reverse.js';

await ensureGradients(); // tfjs-core registers no gradients by itself
await tf.setBackend('cpu');

const p = TWO_MODES;
const moments = mixtureMoments(p);
const forward = forwardFit(p, { samples: 100_000, seed: 1 });
const reverse = reverseFit(p, { seed: 2 });
const fmt = (v: number) => v.toFixed(3).padStart(7);

console.log('Target p: mixture of N(-2.5, 0.6^2) (weight 0.35) and N(2, 0.8^2) (weight 0.65)');
console.log(`  mean ${fmt(moments.mean)}, std ${fmt(Math.sqrt(moments.variance))}\n`);
console.log('fit                      |   loc   |  scale  | KL(p||q) | KL(q||p)');
for (const [name, q] of [
  ['forward KL(p||q), MC', forward],
  ['reverse KL(q||p), Adam', reverse],
] as const) {
  const kl = klBothWays(p, q, { samples: 100_000, seed: 3 });
  console.log(
    `${name.padEnd(24)} | ${fmt(q.loc)} | ${fmt(q.scale)} | ${fmt(kl.forward)}  | ${fmt(kl.reverse)}`,
  );
}
console.log(
  '\nForward KL covers both modes (mean-seeking: loc and scale match p); reverse KL locks onto one mode and misses the other (mode-seeking, too narrow for p); its KL(q||p) is about -log(0.65), the log weight of the mode it sits on.',
);

const curves = densitiesOnGrid(p, [forward, reverse], { from: -5, to: 5, points: 201 });
const plot = linePlot(
  [
    { name: 'p (two modes)', x: curves.x, y: curves.p },
    { name: 'forward KL fit', x: curves.x, y: curves.q[0]! },
    { name: 'reverse KL fit', x: curves.x, y: curves.q[1]! },
  ],
  {
    title: 'Fitting a normal q to a two-mode mixture p',
    xLabel: 'x',
    yLabel: 'density',
    textScale: 2,
    width: 800,
    height: 500,
  },
);
const out = process.argv[2] ?? 'forward-reverse-kl.png';
await writePng(out, plot);
console.log(`wrote ${out}`);
