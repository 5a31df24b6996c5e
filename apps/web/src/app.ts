// The page's state and the operations on it, on the main thread: one training
// worker at a time (a backend is a worker: switching moves the weights to a new
// one), the data and model it holds, and whether it trains. Views subscribe to
// what happens and call these operations; nothing here touches tfjs.
import { WorkerClient } from './client.ts';
import type { ModelConfig, ModelInfo } from './shared/model-config.ts';
import {
  BACKEND_LABELS,
  type BackendReply,
  type DataInfo,
  type DataRequest,
  type PageBackend,
  type ReplyValues,
  type Request,
  type TrainReply,
  type TrainSettings,
  type WorkerEvent,
} from './shared/protocol.ts';

/** What views hear: the worker's events, and changes of the page's state. */
export type AppEvent =
  | WorkerEvent
  | { type: 'backend'; backend: BackendReply }
  | { type: 'data'; data: DataInfo }
  /** A new model: fresh, loaded or rebuilt after a lost context. The curve starts again. */
  | { type: 'model'; model: ModelInfo; origin: 'new' | 'loaded' }
  | { type: 'training'; running: boolean }
  | { type: 'busy'; busy: boolean }
  | { type: 'message'; text: string | undefined; kind: 'error' | 'info' };

/** How long a backend may take to start before the page falls back to WASM. */
const BACKEND_TIMEOUT_MS = 60_000;

type Listener = (event: AppEvent) => void;

const listeners = new Set<Listener>();

export const app: {
  client: WorkerClient | undefined;
  backend: BackendReply | undefined;
  threads: number | undefined;
  dataRequest: DataRequest;
  data: DataInfo | undefined;
  model: ModelInfo | undefined;
  /** Seed and runs of the model, carried to a new worker with its weights. */
  seed: number;
  runs: number;
  training: Promise<TrainReply> | undefined;
  settings: TrainSettings;
  /** The config a lost context or a reset rebuilds from (the settings panel keeps it). */
  config: () => ModelConfig;
} = {
  client: undefined,
  backend: undefined,
  threads: undefined,
  dataRequest: { kind: 'mnist' },
  data: undefined,
  model: undefined,
  seed: 1,
  runs: 0,
  training: undefined,
  settings: { learningRate: 1e-3, beta: 1, batchSize: 100 },
  config: () => {
    throw new Error('app.config is not set');
  },
};

export function subscribe(listener: Listener): void {
  listeners.add(listener);
}

function emit(event: AppEvent): void {
  for (const listener of listeners) listener(event);
}

export function message(text: string | undefined, kind: 'error' | 'info' = 'error'): void {
  emit({ type: 'message', text, kind });
}

/** Runs page operations one at a time (a backend switch never interleaves with a load). */
let queue: Promise<unknown> = Promise.resolve();
function exclusive<T>(action: () => Promise<T>): Promise<T> {
  const run = queue.then(async () => {
    emit({ type: 'busy', busy: true });
    try {
      return await action();
    } finally {
      emit({ type: 'busy', busy: false });
    }
  });
  queue = run.catch(() => {});
  return run;
}

function client(): WorkerClient {
  if (app.client === undefined || app.client.ended)
    throw new Error('the training worker is not running');
  return app.client;
}

/** A request to the current worker (pictures, latent map, ...). */
export function request<T extends Request['type']>(
  body: Extract<Request, { type: T }>,
  transfer: Transferable[] = [],
): Promise<ReplyValues[T]> {
  return client().request(body, transfer);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what} did not answer in ${ms / 1000} s`)),
      ms,
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** A new worker with `backend` started and the data loaded. Throws (and ends it) when the backend cannot start. */
async function newWorker(backend: PageBackend, threads: number | undefined): Promise<WorkerClient> {
  const worker = new WorkerClient(onWorkerEvent, (reason) => {
    if (app.client === worker) void recover(`The training worker stopped (${reason}).`);
  });
  try {
    const started = await withTimeout(
      worker.request({ type: 'start-backend', backend, threads }),
      BACKEND_TIMEOUT_MS,
      `the ${BACKEND_LABELS[backend]} backend`,
    );
    app.backend = started;
    emit({ type: 'backend', backend: started });
  } catch (error) {
    worker.end();
    throw error;
  }
  return worker;
}

function onWorkerEvent(event: WorkerEvent): void {
  if (event.type === 'webgl-context-lost') {
    void recover(
      'The WebGL context was lost (GPU reset, driver problem or too many contexts), and the weights on the GPU with it: the page switched to WASM with a fresh model. Load saved weights to continue.',
    );
    return;
  }
  emit(event);
}

async function loadDataInto(worker: WorkerClient): Promise<DataInfo> {
  const data = await worker.request({ type: 'load-data', data: app.dataRequest });
  app.data = data;
  emit({ type: 'data', data });
  return data;
}

function adoptModel(model: ModelInfo, origin: 'new' | 'loaded'): void {
  app.model = model;
  emit({ type: 'model', model, origin });
}

async function freshModel(worker: WorkerClient): Promise<void> {
  const config = app.config();
  app.seed = config.seed;
  app.runs = 0;
  adoptModel(await worker.request({ type: 'new-model', config }), 'new');
}

/** Starts the page: `backend` (falling back to WASM with a message), MNIST, a fresh model. */
export function boot(backend: PageBackend, threads: number | undefined): Promise<void> {
  return exclusive(async () => {
    app.threads = threads;
    let worker: WorkerClient;
    try {
      worker = await newWorker(backend, threads);
    } catch (error) {
      if (backend === 'wasm') throw error;
      message(
        `${BACKEND_LABELS[backend]} is not available here (${errorText(error)}); using WASM instead.`,
      );
      worker = await newWorker('wasm', threads);
    }
    app.client = worker;
    await loadDataInto(worker);
    await freshModel(worker);
    emit({ type: 'progress', text: '', done: true });
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Stops training (after the current batch) and waits until it has stopped. */
export async function stopTraining(): Promise<void> {
  const running = app.training;
  if (running === undefined) return;
  await app.client?.request({ type: 'stop' }).catch(() => null);
  await running.catch(() => undefined);
}

/** Starts training the current model; resolves when it has stopped. */
export function startTraining(): void {
  if (app.training !== undefined) return;
  const worker = client();
  const run = worker.request({ type: 'train', settings: app.settings, seed: app.seed });
  app.training = run;
  app.runs += 1;
  emit({ type: 'training', running: true });
  run
    .then((reply) => {
      if (reply.stopped === 'diverged') message(`Training stopped: ${reply.message}`);
    })
    .catch((error: unknown) => {
      if (!worker.ended) message(`Training stopped: ${errorText(error)}`);
    })
    .finally(() => {
      if (app.training === run) app.training = undefined;
      emit({ type: 'training', running: false });
    });
}

/** Learning rate and beta apply to the running training at once; batch size at the next Start. */
export function updateSettings(settings: TrainSettings): void {
  app.settings = settings;
  if (app.training !== undefined) void app.client?.request({ type: 'settings', settings });
}

/** Moves the model to a new worker on `backend` (with `threads` for WASM). */
export function switchBackend(backend: PageBackend, threads: number | undefined): Promise<void> {
  return exclusive(async () => {
    await stopTraining();
    const old = client();
    const artifacts = await old.request({ type: 'export' });
    const previous = app.backend?.name ?? 'wasm';
    let worker: WorkerClient;
    try {
      worker = await newWorker(backend, threads);
      app.threads = threads;
    } catch (error) {
      message(
        `${BACKEND_LABELS[backend]} is not available here (${errorText(error)}); staying on ${BACKEND_LABELS[previous]}.`,
      );
      if (app.backend !== undefined) emit({ type: 'backend', backend: app.backend });
      return;
    }
    old.end();
    app.client = worker;
    emit({ type: 'progress', text: 'Moving the weights…' });
    await loadDataInto(worker);
    const model = await worker.request(
      { type: 'import', artifacts, seed: app.seed, runs: app.runs },
      [artifacts.weightData],
    );
    app.model = model;
    emit({ type: 'progress', text: '', done: true });
    message(undefined);
  });
}

/**
 * After a lost WebGL context or a dead worker: a new worker on WASM with a fresh
 * model (the weights on the GPU are gone), the page idle and usable.
 */
export function recover(reason: string): Promise<void> {
  const dead = app.client;
  dead?.end('the training worker was replaced');
  app.client = undefined;
  return exclusive(async () => {
    const worker = await newWorker('wasm', app.threads);
    app.client = worker;
    await loadDataInto(worker);
    await freshModel(worker);
    emit({ type: 'progress', text: '', done: true });
    message(reason);
  }).catch((error: unknown) => message(`${reason} Restarting failed: ${errorText(error)}`));
}

/** A fresh model from the settings (reset, or a changed architecture). */
export function newModel(): Promise<void> {
  return exclusive(async () => {
    await stopTraining();
    await freshModel(client());
  });
}

/** Loads a model (IndexedDB or picked files) into the worker; the curve starts again. */
export function loadModel(
  source: { kind: 'indexeddb' } | { kind: 'files'; files: File[]; paths: string[] },
): Promise<void> {
  return exclusive(async () => {
    await stopTraining();
    const worker = client();
    const seed = app.config().seed;
    const model =
      source.kind === 'indexeddb'
        ? await worker.request({ type: 'load-indexeddb', seed })
        : await worker.request({
            type: 'load-files',
            files: source.files,
            paths: source.paths,
            seed,
          });
    app.seed = seed;
    app.runs = 0;
    adoptModel(model, 'loaded');
  });
}

export function saveModel(): Promise<void> {
  return exclusive(() =>
    client()
      .request({ type: 'save-indexeddb' })
      .then(() => undefined),
  );
}

export function exportModel(): Promise<ReplyValues['export']> {
  return exclusive(() => client().request({ type: 'export' }));
}

/** Trains on other data from now on (MNIST, or the user's images): a fresh model for it. */
export function useData(request: DataRequest): Promise<void> {
  return exclusive(async () => {
    await stopTraining();
    const worker = client();
    const data = await worker.request({ type: 'load-data', data: request });
    app.dataRequest = request;
    app.data = data;
    emit({ type: 'data', data });
    await freshModel(worker);
  });
}
