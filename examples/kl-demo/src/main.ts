// Quick start: `pnpm demo` from the repository root.
// Runs the TypeScript sources directly (tsx, `@vae/source` condition): no build needed.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, entropy, kl, klNormal } from '@vae/divergence';
import { formatDistribution, heading, nats, row } from './format.js';
import { monteCarloKl, type Normal } from './normal.js';

// Silences tfjs's "install the node backend" banner: this demo is tiny.
tf.env().set('PROD', true);
await tf.setBackend('cpu');

const read = (t: tf.Tensor): number => {
  const value = t.dataSync()[0]!;
  t.dispose();
  return value;
};

const outcomes = ['sun', 'cloud', 'rain', 'snow'];
const P = [0.5, 0.3, 0.15, 0.05];
const Q = [0.25, 0.25, 0.25, 0.25];

heading('Two discrete distributions over the same four outcomes');
console.log(formatDistribution('P (a forecast)', outcomes, P));
console.log(formatDistribution('Q (uniform)', outcomes, Q));

heading('KL divergence is not symmetric: argument order is the direction');
const klPQ = read(kl(P, Q));
const klQP = read(kl(Q, P));
row('KL(P || Q)  forward', nats(klPQ));
row('KL(Q || P)  reverse', nats(klQP));

heading('KL = cross-entropy - entropy');
const hP = read(entropy(P));
const hPQ = read(crossEntropy(P, Q));
row('H(P)', nats(hP));
row('H(P, Q)', nats(hPQ));
row('H(P, Q) - H(P)', `${nats(hPQ - hP)}   = KL(P || Q) ${nats(klPQ)}  ✓`);
if (Math.abs(hPQ - hP - klPQ) > 1e-5) throw new Error('demo: H(P, Q) - H(P) != KL(P || Q)');

heading('Support mismatch: KL is infinite where the first has mass and the second has none');
const A = [0.5, 0.5, 0, 0];
const B = [0.4, 0.3, 0.3, 0];
console.log(formatDistribution('A', outcomes, A));
console.log(formatDistribution('B', outcomes, B));
row('KL(A || B)', nats(read(kl(A, B))));
row('KL(B || A)', `${nats(read(kl(B, A)))}   (B puts 0.3 on rain, A puts 0)`);

heading('Two normals: closed form next to a Monte Carlo estimate (100,000 samples)');
const N1: Normal = { loc: 0, scale: 1 };
const N2: Normal = { loc: 1, scale: 2 };
row('p = N(0, 1),  q = N(1, 2^2)', '');
for (const [name, first, second] of [
  ['KL(p || q)', N1, N2],
  ['KL(q || p)', N2, N1],
] as const) {
  const closed = read(klNormal(first, second));
  const { estimate, standardError } = monteCarloKl(first, second, { samples: 100_000, seed: 1 });
  row(name, `${nats(closed)}   Monte Carlo ${nats(estimate)} ± ${standardError.toFixed(4)}`);
}
console.log();
