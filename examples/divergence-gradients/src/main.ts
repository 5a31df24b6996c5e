// Tutorial: divergences and their gradients with @vae/divergence alone, in Node.
//   pnpm --filter @vae/example-divergence-gradients start
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, entropy, kl } from '@vae/divergence';
import { fitNormal, klNormalGradients } from './index.js';

tf.env().set('PROD', true); // no "install the node backend" banner: this is tiny
await tf.setBackend('cpu');

const show = (label: string, value: number) =>
  console.log(`  ${label.padEnd(34)} ${value.toFixed(4)}`);
const read = (t: tf.Tensor) => {
  const value = t.dataSync()[0]!;
  t.dispose();
  return value;
};

console.log('1. Divergences of two discrete distributions (nats)');
const p = [0.5, 0.3, 0.15, 0.05];
const q = [0.25, 0.25, 0.25, 0.25];
show('KL(p || q)', read(kl(p, q)));
show('KL(q || p)', read(kl(q, p)));
show('H(p, q) - H(p)', read(crossEntropy(p, q)) - read(entropy(p)));

console.log('\n2. Gradients of KL(N(1, 2) || N(0, 1)) with respect to loc and scale');
const g = await klNormalGradients(1, 2);
console.log('  autodiff (tf.grads)      ', g.autodiff.map((v) => v.toFixed(4)).join(', '));
console.log('  formula                  ', g.formula.map((v) => v.toFixed(4)).join(', '));
console.log('  finite differences       ', g.finiteDifferences.map((v) => v.toFixed(4)).join(', '));

console.log('\n3. A normal fitted to two modes at -2 and +2 (scale 0.5 each), 300 Adam steps');
for (const direction of ['forward', 'reverse'] as const) {
  const fit = await fitNormal(direction);
  const what =
    direction === 'forward' ? 'KL(target || q): covers both' : 'KL(q || target): picks one';
  console.log(
    `  ${what.padEnd(30)} loc ${fit.loc.toFixed(2).padStart(5)}  scale ${fit.scale.toFixed(2)}  (${fit.divergence.toFixed(3)} nats)`,
  );
}
