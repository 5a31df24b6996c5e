// The forward-vs-reverse KL page: animates both fits over the target density.
import { byId, errorText, format, showMessage } from './dom.ts';
import { drawFits, type Fit, KlFit } from './kl-fit.ts';

const STEPS_PER_FRAME = 4;
const FRAMES = 50;
let running: Promise<void> | undefined;

async function run(): Promise<void> {
  // Both start from the same slightly right-of-centre normal; only the divergence differs.
  const init = { loc: 0.8, scale: 0.6 };
  const forward = new KlFit('forward', init);
  const reverse = new KlFit('reverse', init);
  const canvas = byId<HTMLCanvasElement>('kl-canvas');
  byId('kl-run').setAttribute('disabled', '');
  byId('kl-canvas').dataset.done = 'false';
  try {
    for (let frame = 0; frame < FRAMES; frame++) {
      const f: Fit = await forward.step(STEPS_PER_FRAME);
      const r: Fit = await reverse.step(STEPS_PER_FRAME);
      drawFits(canvas, f, r);
      byId('kl-forward-value').textContent = format(f.kl, 4);
      byId('kl-reverse-value').textContent = format(r.kl, 4);
      byId('kl-forward-scale').textContent = format(f.scale, 3);
      byId('kl-reverse-scale').textContent = format(r.scale, 3);
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    byId('kl-canvas').dataset.done = 'true';
  } finally {
    forward.dispose();
    reverse.dispose();
    byId('kl-run').removeAttribute('disabled');
  }
}

/** Starts (or restarts, once the current run ends) the animation. */
export function runKlDemo(): void {
  if (running !== undefined) return;
  running = run()
    .catch((error) => showMessage(`KL demo: ${errorText(error)}`))
    .finally(() => {
      running = undefined;
    });
}

export function initKlPage(): void {
  byId('kl-run').addEventListener('click', runKlDemo);
}
