// Entry point of the page's thread: the views, routing (#train, #latent, #kl, #flow),
// the progress bar and the message bar, and the start of the training worker
// on the backend the URL asks for (?backend=wasm|webgl|cpu|webgpu, &threads=n).
import { boot, subscribe } from './app.ts';
import { PAGE_BACKENDS, type PageBackend } from './shared/protocol.ts';
import { byId, errorText, showMessage } from './ui/dom.ts';
import { initFilesView } from './ui/files-view.ts';
import { initFlowView } from './ui/flow-view.ts';
import { initKlView, setKlViewVisible } from './ui/kl-view.ts';
import { initLatentView, setLatentViewVisible } from './ui/latent-view.ts';
import { initSettings } from './ui/settings-view.ts';
import { initTrainView, showTrainView } from './ui/train-view.ts';

type PageName = 'train' | 'latent' | 'kl' | 'flow';

function showPage(): void {
  const hash = location.hash.slice(1);
  const page: PageName = hash === 'latent' || hash === 'kl' || hash === 'flow' ? hash : 'train';
  for (const section of document.querySelectorAll<HTMLElement>('section[data-page]')) {
    section.hidden = section.dataset.page !== page;
  }
  for (const link of document.querySelectorAll<HTMLElement>('nav a')) {
    link.classList.toggle('current', link.dataset.page === page);
  }
  if (document.body.dataset.ready !== 'true') return;
  setLatentViewVisible(page === 'latent');
  setKlViewVisible(page === 'kl');
  if (page === 'train') showTrainView();
}

function showProgress(): void {
  subscribe((event) => {
    if (event.type === 'message') {
      showMessage(event.text, event.kind);
      return;
    }
    if (event.type !== 'progress') return;
    const box = byId('progress');
    box.hidden = event.done === true || event.text === '';
    byId('progress-text').textContent = event.text;
    const bar = byId<HTMLProgressElement>('progress-bar');
    if (event.fraction === undefined) bar.removeAttribute('value');
    else bar.value = event.fraction;
  });
}

async function start(): Promise<void> {
  const parameters = new URLSearchParams(location.search);
  const asked = parameters.get('backend') as PageBackend | null;
  const backend = asked !== null && PAGE_BACKENDS.includes(asked) ? asked : 'wasm';
  const threads = parameters.has('threads') ? Number(parameters.get('threads')) : undefined;
  showProgress();
  initSettings({ hasWebGpu: 'gpu' in navigator });
  initTrainView();
  initLatentView();
  initKlView();
  initFlowView();
  initFilesView();
  window.addEventListener('hashchange', showPage);
  showPage();
  byId('progress').hidden = false;
  byId('progress-text').textContent = 'Starting the training worker…';
  await boot(backend, threads);
  document.body.dataset.ready = 'true';
  showPage();
}

start().catch((error: unknown) => {
  showMessage(`The page failed to start: ${errorText(error)}`);
  byId('progress').hidden = true;
});
