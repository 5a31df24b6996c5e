// The messages between the page (main thread) and the training worker. The
// worker owns tfjs, the backend, the data and the model; the page sends
// requests (each answered once by a `reply` with the same id) and receives
// events (progress, training points, pictures, a lost WebGL context).
import type { LikelihoodName, ModelConfig, ModelInfo } from './model-config.ts';

/** The backends the page offers, in the picker's order. */
export const PAGE_BACKENDS = ['wasm', 'webgl', 'cpu', 'webgpu'] as const;
export type PageBackend = (typeof PAGE_BACKENDS)[number];

export const BACKEND_LABELS: Record<PageBackend, string> = {
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
  webgpu: 'WebGPU',
};

/** Pixels as the worker sends them: RGBA rows, `width * height * 4` bytes. */
export interface Picture {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** What the page trains on. */
export type DataRequest =
  | { kind: 'mnist' }
  | { kind: 'images'; files: File[]; side: number; channels: 1 | 3 };

export interface DataInfo {
  /** `MNIST, 20,000 training and 1,000 test digits` or `your images: 48 (43 train, 5 test)`. */
  description: string;
  kind: 'mnist' | 'images';
  itemShape: number[];
  trainSize: number;
  /** Test images held out for the test ELBO (0: the train images stand in). */
  testSize: number;
}

/** Training settings that may change while it runs. */
export interface TrainSettings {
  learningRate: number;
  beta: number;
  batchSize: number;
}

/** A saved model as plain data (`tf.io.ModelArtifacts` with the weights in one buffer). */
export interface ModelArtifactsData {
  modelTopology: unknown;
  weightSpecs: unknown[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
}

/** Requests from the page; the worker answers each with a {@link Reply}. */
export type Request =
  | { type: 'start-backend'; backend: PageBackend; threads: number | undefined }
  | { type: 'load-data'; data: DataRequest }
  | { type: 'new-model'; config: ModelConfig }
  | { type: 'train'; settings: TrainSettings; seed: number }
  | { type: 'settings'; settings: TrainSettings }
  | { type: 'stop' }
  | { type: 'pictures' }
  | { type: 'latent-map'; cells: number; extent: number }
  | { type: 'decode'; z: [number, number] }
  | { type: 'test-images'; count: number }
  | { type: 'interpolate'; a: number; b: number; steps: number }
  | { type: 'export' }
  | { type: 'import'; artifacts: ModelArtifactsData; seed: number; runs: number }
  | { type: 'save-indexeddb' }
  | { type: 'load-indexeddb'; seed: number }
  | { type: 'load-files'; files: File[]; paths: string[]; seed: number };

export interface BackendReply {
  name: PageBackend;
  /** `WASM (SIMD, 2 threads)`. */
  description: string;
  threads: number;
}

/** What a finished `train` request reports. */
export interface TrainReply {
  steps: number;
  stopped: 'aborted' | 'diverged' | 'finished';
  message?: string;
}

export type Reply = { type: 'reply'; id: number } & (
  | { ok: true; value: unknown }
  | { ok: false; error: string }
);

/** One optimizer step's ELBO terms (nats per example, batch means; elbo = reconstruction - kl). */
export interface TrainingPoint {
  /** 1-based step of this run. */
  step: number;
  elbo: number;
  reconstruction: number;
  kl: number;
}

/** Events the worker sends on its own. */
export type WorkerEvent =
  | { type: 'progress'; text: string; fraction?: number; done?: boolean }
  | {
      type: 'points';
      points: TrainingPoint[];
      /** Examples trained so far in this run. */
      examples: number;
    }
  | { type: 'test-loss'; step: number; value: number }
  | { type: 'pictures'; pictures: Pictures }
  | { type: 'webgl-context-lost' };

export interface Pictures {
  samples: Picture;
  reconstructions: Picture;
}

/** Requests paired with the value their reply carries. */
export interface ReplyValues {
  'start-backend': BackendReply;
  'load-data': DataInfo;
  'new-model': ModelInfo;
  train: TrainReply;
  settings: null;
  stop: null;
  pictures: Pictures;
  'latent-map': Picture;
  decode: Picture;
  'test-images': Picture;
  interpolate: Picture;
  export: ModelArtifactsData;
  import: ModelInfo;
  'save-indexeddb': null;
  'load-indexeddb': ModelInfo;
  'load-files': ModelInfo;
}

export type { LikelihoodName };
