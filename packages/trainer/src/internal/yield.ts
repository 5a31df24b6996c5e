// A macrotask yield, so a page can paint and handle input between batches.
// setImmediate (Node) and MessageChannel (browsers, workers) have no 1-4 ms
// clamp, unlike setTimeout.

type Scheduler = (resume: () => void) => void;

function pickScheduler(): Scheduler {
  const g = globalThis as {
    setImmediate?: (fn: () => void) => unknown;
    MessageChannel?: typeof MessageChannel;
  };
  if (typeof g.setImmediate === 'function') {
    const setImmediate = g.setImmediate;
    return (resume) => {
      setImmediate(resume);
    };
  }
  if (typeof g.MessageChannel === 'function') {
    const channel = new g.MessageChannel();
    const queue: (() => void)[] = [];
    channel.port1.onmessage = () => queue.shift()?.();
    return (resume) => {
      queue.push(resume);
      channel.port2.postMessage(null);
    };
  }
  return (resume) => {
    setTimeout(resume, 0);
  };
}

let scheduler: Scheduler | undefined;

/** Resolves on the next macrotask. */
export function nextMacrotask(): Promise<void> {
  scheduler ??= pickScheduler();
  const schedule = scheduler;
  return new Promise((resolve) => schedule(resolve));
}
