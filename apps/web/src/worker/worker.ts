// The training worker: owns tfjs, its one backend, the data and the model, so
// the page's thread only draws. Answers each request of src/shared/protocol.ts
// with one reply; sends progress, training points and pictures as events.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { VaeError } from '@vae/divergence';
import type { VAE } from '@vae/nn';
import type { ModelInfo } from '../shared/model-config.ts';
import type { ReplyValues, Request, TrainSettings, WorkerEvent } from '../shared/protocol.ts';
import { loadData, type PageData } from './data.ts';
import { startBackend, watchWebGlContext } from './engine.ts';
import { PageModel } from './page-model.ts';
import { interpolation, overview, testImages } from './pictures.ts';
import { trainRun } from './training.ts';
import {
  exportArtifacts,
  importArtifacts,
  loadFromFiles,
  loadFromIndexedDb,
  saveToIndexedDb,
} from './weights.ts';

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}
const scope = globalThis as unknown as WorkerScope;

const state: {
  data: PageData | undefined;
  model: PageModel | undefined;
  training: AbortController | undefined;
  settings: TrainSettings;
} = {
  data: undefined,
  model: undefined,
  training: undefined,
  settings: { learningRate: 1e-3, beta: 1, batchSize: 100 },
};

function post(event: WorkerEvent): void {
  const transfer: Transferable[] = [];
  if (event.type === 'pictures') {
    transfer.push(event.pictures.samples.data.buffer, event.pictures.reconstructions.data.buffer);
  }
  scope.postMessage(event, transfer);
}

function progress(text: string, fraction?: number): void {
  post({ type: 'progress', text, ...(fraction !== undefined && { fraction }) });
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new VaeError('INVALID_ARGUMENT', `worker: no ${what} yet`);
  return value;
}

function idle(action: string): void {
  if (state.training !== undefined) {
    throw new VaeError('INVALID_ARGUMENT', `${action}: stop training first`);
  }
}

/** Makes `vae` the page's model, if it fits the data. */
function adopt(vae: VAE, seed: number): ModelInfo {
  const data = need(state.data, 'data');
  const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
  if (size(vae.dataShape) !== size(data.info.itemShape)) {
    const shape = vae.dataShape.join('x');
    vae.dispose();
    throw new VaeError(
      'CHECKPOINT_MISMATCH',
      `load weights: this VAE is for data of shape ${shape}, the page trains on ${data.info.itemShape.join('x')} (${data.info.kind === 'mnist' ? 'MNIST digits' : 'your images'})`,
    );
  }
  state.model?.dispose();
  state.model = new PageModel(vae, seed);
  return state.model.info();
}

async function handle(request: Request): Promise<unknown> {
  switch (request.type) {
    case 'start-backend': {
      progress(`Starting the ${request.backend} backend…`);
      const reply = await startBackend(request.backend, request.threads);
      watchWebGlContext(() => {
        state.training?.abort();
        post({ type: 'webgl-context-lost' });
      });
      return reply;
    }
    case 'load-data': {
      idle('load data');
      const base = new URL(import.meta.env.BASE_URL, globalThis.location.href).href;
      state.data = await loadData(request.data, { base, progress });
      return state.data.info;
    }
    case 'new-model': {
      idle('new model');
      const built = PageModel.build(request.config);
      return adopt(built.vae, request.config.seed);
    }
    case 'train': {
      idle('train');
      const controller = new AbortController();
      state.training = controller;
      state.settings = request.settings;
      try {
        return await trainRun({
          model: need(state.model, 'model'),
          data: need(state.data, 'data'),
          settings: () => state.settings,
          signal: controller.signal,
          post,
        });
      } finally {
        state.training = undefined;
      }
    }
    case 'settings':
      state.settings = request.settings;
      return null;
    case 'stop':
      state.training?.abort();
      return null;
    case 'pictures':
      return overview(need(state.model, 'model'), need(state.data, 'data').test);
    case 'latent-map':
      return need(state.model, 'model').latentMap(request.cells, request.extent, [
        ...need(state.data, 'data').info.itemShape,
      ]);
    case 'decode':
      return need(state.model, 'model').decode(request.z, [
        ...need(state.data, 'data').info.itemShape,
      ]);
    case 'test-images':
      return testImages(need(state.model, 'model'), need(state.data, 'data').test, request.count);
    case 'interpolate':
      return interpolation(need(state.model, 'model'), need(state.data, 'data').test, request);
    case 'export':
      return exportArtifacts(need(state.model, 'model').vae);
    case 'import':
      idle('import');
      adopt(await importArtifacts(request.artifacts), request.seed);
      need(state.model, 'model').runs = request.runs;
      return need(state.model, 'model').info();
    case 'save-indexeddb':
      await saveToIndexedDb(need(state.model, 'model').vae);
      return null;
    case 'load-indexeddb':
      idle('load');
      return adopt(await loadFromIndexedDb(), request.seed);
    case 'load-files':
      idle('load');
      return adopt(await loadFromFiles(request.files, request.paths), request.seed);
  }
}

/** Buffers of a reply value to transfer rather than copy. */
function transferables(value: unknown): Transferable[] {
  if (value === null || typeof value !== 'object') return [];
  if ('data' in value && value.data instanceof Uint8ClampedArray) return [value.data.buffer];
  if ('weightData' in value && value.weightData instanceof ArrayBuffer) return [value.weightData];
  if ('samples' in value && 'reconstructions' in value) {
    const pictures = value as ReplyValues['pictures'];
    return [pictures.samples.data.buffer, pictures.reconstructions.data.buffer];
  }
  return [];
}

scope.addEventListener('message', (event: MessageEvent) => {
  const { id, request } = event.data as { id: number; request: Request };
  handle(request).then(
    (value) => scope.postMessage({ type: 'reply', id, ok: true, value }, transferables(value)),
    (error: unknown) =>
      scope.postMessage({
        type: 'reply',
        id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
});
