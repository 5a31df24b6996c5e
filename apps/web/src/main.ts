// Entry point: backend picker, page routing (#train, #latent, #kl), WebGL
// context loss handling.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import {
  BACKEND_LABELS,
  describeBackend,
  hasWebGpu,
  PAGE_BACKENDS,
  type PageBackend,
  startBackend,
  watchWebGlContext,
} from './backend.ts';
import { byId, errorText, showMessage } from './dom.ts';
import { initKlPage, runKlDemo } from './kl-page.ts';
import { initLatentPage, refreshLatentPage } from './latent-page.ts';
import { PageVae } from './model.ts';
import { presetFor, restoreModel, setModel, snapshotModel, state } from './state.ts';
import { drawImages, initTrainPage, stopTraining } from './train-page.ts';

let unwatch = () => {};

async function snapshotAfterStopping() {
  await stopTraining();
  return snapshotModel();
}
let ready = false;

function showPage(): void {
  const page = (location.hash.slice(1) || 'train') as 'train' | 'latent' | 'kl';
  for (const section of document.querySelectorAll<HTMLElement>('section[data-page]')) {
    section.hidden = section.dataset.page !== page;
  }
  for (const link of document.querySelectorAll<HTMLElement>('nav a')) {
    link.classList.toggle('current', link.dataset.page === page);
  }
  if (!ready) return;
  if (page === 'latent') refreshLatentPage();
  if (page === 'kl') runKlDemo();
}

async function switchBackend(
  name: PageBackend,
  select: HTMLSelectElement,
  options: { contextLost?: boolean } = {},
): Promise<void> {
  const active = byId('backend-active');
  // After a lost context the weights on the GPU cannot be read: start a fresh model.
  const snapshot = options.contextLost ? undefined : await snapshotAfterStopping();
  active.textContent = `starting ${BACKEND_LABELS[name]}…`;
  try {
    const info = await startBackend(name);
    active.textContent = describeBackend(info);
    select.value = info.name;
    showMessage(undefined);
  } catch (error) {
    showMessage(`${BACKEND_LABELS[name]} is not available here: ${errorText(error)}`);
  }
  const current = (await import('@tensorflow/tfjs-core')).getBackend() as PageBackend;
  select.value = current;
  if (!active.textContent?.startsWith(BACKEND_LABELS[current]))
    active.textContent = BACKEND_LABELS[current];
  unwatch();
  unwatch = watchWebGlContext(() => {
    state.training?.abort();
    void switchBackend('wasm', select, { contextLost: true }).then(() => {
      showMessage(
        'The WebGL context was lost (GPU reset, driver problem or too many contexts), and the weights on the GPU with it: switched to WASM with a fresh model. Load saved weights to continue.',
      );
    });
  });
  if (options.contextLost) {
    const preset = byId<HTMLSelectElement>('preset-select').value;
    setModel(PageVae.fromPreset(presetFor(preset)));
    await drawImages().catch(() => {});
  } else if (snapshot !== undefined) {
    restoreModel(snapshot);
    await drawImages().catch(() => {});
  }
}

async function start(): Promise<void> {
  const select = byId<HTMLSelectElement>('backend-select');
  for (const name of PAGE_BACKENDS) {
    if (name === 'webgpu' && !hasWebGpu()) continue;
    select.add(new Option(BACKEND_LABELS[name], name));
  }
  select.addEventListener('change', () => void switchBackend(select.value as PageBackend, select));
  const requested = new URLSearchParams(location.search).get('backend') as PageBackend | null;
  await switchBackend(requested && PAGE_BACKENDS.includes(requested) ? requested : 'webgl', select);
  setModel(PageVae.fromPreset(presetFor(byId<HTMLSelectElement>('preset-select').value)));
  byId('model-description').textContent = state.model.describe();
  initTrainPage();
  initLatentPage();
  initKlPage();
  ready = true;
  window.addEventListener('hashchange', showPage);
  showPage();
  await drawImages();
  document.body.dataset.ready = 'true';
}

start().catch((error) => showMessage(`The page failed to start: ${errorText(error)}`));
