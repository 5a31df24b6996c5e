// The #flow view: a normalizing flow fitted to a 2-D toy density in a worker of
// its own (src/worker/flow-worker.ts), drawn as it trains (the data, the learned
// density, the flow's samples) with the flow's test log-likelihood next to the
// full-covariance Gaussian's. The page's thread only draws the frames it receives.
import { app } from '../app.ts';
import type {
  FlowData,
  FlowEvent,
  FlowFrame,
  FlowRequest,
  FlowViewKind,
} from '../shared/flow-protocol.ts';
import { showPicture } from './canvas.ts';
import { byId, format, setText, showMessage } from './dom.ts';

let worker: Worker | undefined;
let running = false;
let frames = 0;

function send(request: FlowRequest): void {
  worker?.postMessage(request);
}

function setRunning(value: boolean, status: string): void {
  running = value;
  byId('flow-toggle').textContent = value ? 'Stop' : 'Start';
  setText('flow-status', status);
  for (const id of ['flow-data', 'flow-kind']) byId<HTMLSelectElement>(id).disabled = value;
}

function show(frame: FlowFrame): void {
  showPicture(byId<HTMLCanvasElement>('flow-data-canvas'), frame.data);
  const density = byId<HTMLCanvasElement>('flow-density-canvas');
  showPicture(density, frame.density);
  density.dataset.version = String(++frames);
  showPicture(byId<HTMLCanvasElement>('flow-samples-canvas'), frame.samples);
  setText('flow-loglik', format(frame.flowLogLikelihood, 3));
  setText('gaussian-loglik', format(frame.gaussianLogLikelihood, 3));
  setText('flow-epoch', `${frame.epoch} / ${frame.epochs}`);
}

function onEvent(event: FlowEvent): void {
  switch (event.type) {
    case 'flow-frame':
      show(event);
      return;
    case 'flow-status':
      if (running) setText('flow-status', event.text);
      return;
    case 'flow-done':
      setRunning(false, event.stopped === 'aborted' ? 'stopped' : 'done');
      return;
    case 'flow-error':
      setRunning(false, 'idle');
      showMessage(`The flow stopped: ${event.message}`);
      return;
  }
}

function startWorker(): Worker {
  const started = new Worker(new URL('../worker/flow-worker.ts', import.meta.url), {
    type: 'module',
    name: 'vae-flow',
  });
  started.addEventListener('message', (event: MessageEvent) => onEvent(event.data as FlowEvent));
  started.addEventListener('error', (event) => {
    event.preventDefault();
    started.terminate();
    if (worker === started) worker = undefined;
    setRunning(false, 'idle');
    showMessage(`The flow's worker failed: ${event.message || 'it did not start'}`);
  });
  return started;
}

function toggle(): void {
  if (running) {
    send({ type: 'flow-stop' });
    setText('flow-status', 'stopping…');
    return;
  }
  worker ??= startWorker();
  setRunning(true, 'starting…');
  send({
    type: 'flow-train',
    data: byId<HTMLSelectElement>('flow-data').value as FlowData,
    kind: byId<HTMLSelectElement>('flow-kind').value as FlowViewKind,
    seed: 0,
    backend: app.backend?.name ?? 'wasm',
    threads: app.threads,
  });
}

export function initFlowView(): void {
  byId('flow-toggle').addEventListener('click', toggle);
}
