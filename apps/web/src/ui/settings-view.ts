// The settings panel: data, model architecture, training hyperparameters and
// where it runs. A model setting builds a fresh model; a training setting
// applies at once; backend and threads move the model to a new worker. After a
// loaded model the panel shows that model (its preset, or "loaded: ...").
import {
  app,
  message,
  newModel,
  subscribe,
  switchBackend,
  updateSettings,
  useData,
} from '../app.ts';
import {
  type LikelihoodName,
  type ModelConfig,
  type ModelInfo,
  PRESETS,
  type PresetId,
  type PriorName,
  presetOf,
} from '../shared/model-config.ts';
import { BACKEND_LABELS, PAGE_BACKENDS, type PageBackend } from '../shared/protocol.ts';
import { byId, errorText } from './dom.ts';

const select = (id: string) => byId<HTMLSelectElement>(id);
const input = (id: string) => byId<HTMLInputElement>(id);

/** Controls that change the model or where it runs: disabled while training or busy. */
const MODEL_CONTROLS = [
  'data-select',
  'preset-select',
  'latent-size',
  'hidden-size',
  'prior-select',
  'likelihood-select',
  'seed',
  'backend-select',
  'threads',
  'image-files',
  'image-folder',
  'image-side',
  'image-channels',
  'load-idb',
  'weights-file',
  'weights-folder',
  'reset',
];

function integer(id: string, fallback: number, range: [number, number]): number {
  const value = Math.round(Number(input(id).value));
  return Number.isFinite(value) ? Math.min(range[1], Math.max(range[0], value)) : fallback;
}

/** The model the controls describe, for the current data. */
export function configFromControls(): ModelConfig {
  const data = app.data;
  const dataShape = data === undefined || data.kind === 'mnist' ? [784] : [...data.itemShape];
  const seedValue = Number(input('seed').value);
  return {
    dataShape,
    hidden: [Number(select('hidden-size').value)],
    latentDim: integer('latent-size', 2, [1, 64]),
    prior: select('prior-select').value as PriorName,
    likelihood: select('likelihood-select').value as LikelihoodName,
    seed: Number.isFinite(seedValue) ? Math.trunc(seedValue) : 1,
  };
}

function settingsFromControls() {
  const beta = Number(input('beta').value);
  return {
    learningRate: Number(select('learning-rate').value),
    beta: Number.isFinite(beta) && beta >= 0 ? beta : 1,
    batchSize: Number(select('batch-size').value),
  };
}

/** Puts a preset's values into the model controls. */
function applyPreset(id: PresetId): void {
  const preset = PRESETS[id];
  input('latent-size').value = String(preset.latentDim);
  select('hidden-size').value = String(preset.hidden[0]);
  select('prior-select').value = 'standard-normal';
  select('likelihood-select').value = 'bernoulli';
}

function setOption(selectElement: HTMLSelectElement, value: string, label: string): void {
  let option = [...selectElement.options].find((o) => o.value === value);
  if (option === undefined) {
    option = new Option(label, value);
    selectElement.add(option);
  }
  option.textContent = label;
  selectElement.value = value;
}

/** The panel shows the model the page holds (its preset, custom, or loaded). */
function showModel(model: ModelInfo, origin: 'new' | 'loaded'): void {
  byId('model-description').textContent =
    `${model.description}; ${model.parameters.toLocaleString('en')} parameters`;
  const presets = select('preset-select');
  for (const option of [...presets.options]) if (option.value === 'loaded') option.remove();
  const config = model.config;
  if (config !== undefined) {
    input('latent-size').value = String(config.latentDim);
    if (config.hidden.length === 1) {
      setOption(select('hidden-size'), String(config.hidden[0]), String(config.hidden[0]));
    }
    select('prior-select').value = config.prior;
    select('likelihood-select').value = config.likelihood;
  } else {
    input('latent-size').value = String(model.latentDim);
  }
  const preset = config === undefined ? undefined : presetOf(config);
  if (preset !== undefined && (origin === 'new' || config?.hidden.length === 1)) {
    presets.value = preset;
  } else if (origin === 'loaded') {
    setOption(presets, 'loaded', `loaded: ${model.description}`);
  } else {
    presets.value = 'custom';
  }
}

function enable(enabled: boolean): void {
  for (const id of MODEL_CONTROLS) {
    (byId(id) as HTMLInputElement | HTMLSelectElement | HTMLButtonElement).disabled = !enabled;
  }
  const images = [...select('data-select').options].find((o) => o.value === 'images')!;
  images.disabled = app.dataRequest.kind !== 'images';
  input('threads').disabled = !enabled || app.backend?.name !== 'wasm' || !crossOriginIsolated;
}

let busy = false;
function refreshEnabled(): void {
  enable(!busy && app.training === undefined);
  byId('train-toggle').toggleAttribute('disabled', busy || app.client === undefined);
}

function rebuild(): void {
  newModel().catch((error: unknown) => message(`New model: ${errorText(error)}`));
}

function threadsValue(): number | undefined {
  const value = Math.round(Number(input('threads').value));
  return Number.isFinite(value) && value >= 1 ? Math.min(8, value) : undefined;
}

export function initSettings(options: { hasWebGpu: boolean }): void {
  app.config = configFromControls;
  app.settings = settingsFromControls();
  const backends = select('backend-select');
  for (const name of PAGE_BACKENDS) {
    if (name === 'webgpu' && !options.hasWebGpu) continue;
    backends.add(new Option(BACKEND_LABELS[name], name));
  }
  const cores = navigator.hardwareConcurrency || 1;
  input('threads').value = String(crossOriginIsolated ? Math.min(8, cores) : 1);
  byId('threads-hint').textContent = crossOriginIsolated
    ? `This device has ${cores} logical cores; WASM uses them all unless you ask for fewer.`
    : 'The page is not cross-origin isolated, so WASM runs one thread.';

  select('preset-select').addEventListener('change', () => {
    const value = select('preset-select').value;
    if (value in PRESETS) applyPreset(value as PresetId);
    if (value !== 'loaded') rebuild();
  });
  for (const id of ['latent-size', 'hidden-size', 'prior-select', 'likelihood-select', 'seed']) {
    byId(id).addEventListener('change', () => {
      select('preset-select').value = presetOf(configFromControls()) ?? 'custom';
      rebuild();
    });
  }
  for (const id of ['learning-rate', 'beta', 'batch-size']) {
    byId(id).addEventListener('change', () => updateSettings(settingsFromControls()));
  }
  const move = () => {
    switchBackend(backends.value as PageBackend, threadsValue()).catch((error: unknown) =>
      message(`Switching backend: ${errorText(error)}`),
    );
  };
  backends.addEventListener('change', move);
  input('threads').addEventListener('change', move);
  select('data-select').addEventListener('change', () => {
    if (select('data-select').value === 'mnist') {
      useData({ kind: 'mnist' }).catch((error: unknown) => message(`MNIST: ${errorText(error)}`));
    }
  });

  subscribe((event) => {
    switch (event.type) {
      case 'model':
        showModel(event.model, event.origin);
        break;
      case 'backend':
        backends.value = event.backend.name;
        byId('backend-active').textContent = event.backend.description;
        if (event.backend.name === 'wasm') input('threads').value = String(event.backend.threads);
        refreshEnabled();
        break;
      case 'data':
        select('data-select').value = event.data.kind;
        byId('data-description').textContent = event.data.description;
        refreshEnabled();
        break;
      case 'training':
        refreshEnabled();
        break;
      case 'busy':
        busy = event.busy;
        refreshEnabled();
        break;
      default:
        break;
    }
  });
  refreshEnabled();
}
