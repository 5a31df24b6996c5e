/**
 * tfjs's wasm builds are Emscripten modules which, in Node, add two process
 * handlers when they start: one rethrows every unhandled rejection, the other
 * every uncaught exception. Rethrown from inside a handler, any error of the app
 * then makes Node print the handler's source line (40-60 KB of minified code)
 * and exit with status 7 instead of its own short report and status 1. The
 * handlers serve Emscripten's exit(), which tfjs never calls.
 */
const EVENTS = ['unhandledRejection', 'uncaughtException'];

type Listener = (...args: unknown[]) => void;

/** The part of Node's `process` this needs (typed here: the package also runs in browsers). */
interface ProcessEvents {
  listeners(event: string): Listener[];
  removeListener(event: string, listener: Listener): unknown;
}

/**
 * Runs `start` and removes the process handlers added while it ran (the wasm
 * module's, above); handlers the app added before stay. Outside Node it just runs `start`.
 */
export async function withoutStartupProcessHandlers<T>(start: () => Promise<T>): Promise<T> {
  const node = (globalThis as { process?: Partial<ProcessEvents> }).process;
  if (typeof node?.listeners !== 'function' || typeof node.removeListener !== 'function') {
    return start();
  }
  const events = node as ProcessEvents;
  const before = new Map(EVENTS.map((event) => [event, new Set(events.listeners(event))]));
  try {
    return await start();
  } finally {
    for (const event of EVENTS) {
      for (const listener of events.listeners(event)) {
        if (!before.get(event)!.has(listener)) {
          events.removeListener(event, listener);
        }
      }
    }
  }
}
