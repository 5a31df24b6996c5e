// The page's side of the training worker: requests with promised replies,
// events to a listener, and an end (terminate) that rejects what is pending.
import type { ReplyValues, Request, WorkerEvent } from './shared/protocol.ts';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** One training worker; a new backend (or a lost WebGL context) gets a new one. */
export class WorkerClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #ended = false;

  /**
   * @param onEvent progress, training points, pictures, a lost WebGL context.
   * @param onCrash the worker failed outside any request (a script error).
   */
  constructor(onEvent: (event: WorkerEvent) => void, onCrash: (message: string) => void) {
    this.#worker = new Worker(new URL('./worker/worker.ts', import.meta.url), {
      type: 'module',
      name: 'vae-training',
    });
    this.#worker.addEventListener('message', (event: MessageEvent) => {
      const message = event.data as { type: string; id?: number };
      if (message.type !== 'reply') {
        onEvent(message as WorkerEvent);
        return;
      }
      const reply = event.data as { id: number; ok: boolean; value?: unknown; error?: string };
      const pending = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (reply.ok) pending?.resolve(reply.value);
      else pending?.reject(new Error(reply.error));
    });
    this.#worker.addEventListener('error', (event) => {
      event.preventDefault();
      const message = event.message || 'the training worker failed to start';
      this.end(message);
      onCrash(message);
    });
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Sends a request; resolves with the worker's answer, rejects with its error. */
  request<T extends Request['type']>(
    request: Extract<Request, { type: T }>,
    transfer: Transferable[] = [],
  ): Promise<ReplyValues[T]> {
    if (this.#ended) return Promise.reject(new Error('the training worker was stopped'));
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage({ id, request }, transfer);
    });
  }

  /** Terminates the worker; pending requests reject with `reason`. */
  end(reason = 'the training worker was stopped'): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#worker.terminate();
    for (const pending of this.#pending.values()) pending.reject(new Error(reason));
    this.#pending.clear();
  }
}
