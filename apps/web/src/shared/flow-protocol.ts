// The messages between the #flow view and its worker (src/worker/flow-worker.ts):
// the page asks to train a flow on a 2-D toy density or to stop; the worker sends
// frames (the data, the learned density, the flow's samples, both test
// log-likelihoods) while it trains, and one `flow-done` when it stops.
import type { Picture } from './protocol.ts';

/** The toy densities of `@vae/example-flow-2d`. */
export type FlowData = 'moons' | 'ring';
/** The flows the view offers (`flowStack` kinds of `@vae/nn`). */
export type FlowViewKind = 'realnvp' | 'maf' | 'planar';

export type FlowRequest =
  | {
      type: 'flow-train';
      data: FlowData;
      kind: FlowViewKind;
      seed: number;
      /** The backend of the page's training worker and its WASM threads. */
      backend: string;
      threads: number | undefined;
    }
  | { type: 'flow-stop' };

/** One picture of the training so far. */
export interface FlowFrame {
  type: 'flow-frame';
  epoch: number;
  epochs: number;
  /** Adam steps so far. */
  step: number;
  /** Mean test log-likelihood, nats per point: the flow now, and the Gaussian fitted by ML. */
  flowLogLikelihood: number;
  gaussianLogLikelihood: number;
  /** Mean negative log-likelihood of the last training epoch (nats per point). */
  trainLoss: number;
  data: Picture;
  density: Picture;
  samples: Picture;
}

export type FlowEvent =
  | FlowFrame
  | { type: 'flow-status'; text: string }
  | { type: 'flow-done'; stopped: 'aborted' | 'finished' }
  | { type: 'flow-error'; message: string };
