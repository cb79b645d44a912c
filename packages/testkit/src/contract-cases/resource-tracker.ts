import { createHook } from 'node:async_hooks';

/** async_hooks resource types that can hold the process open: timers, sockets, servers, lookups, child processes. */
const TRACKED_TYPES = new Set([
  'Timeout',
  'Immediate',
  'TCPWRAP',
  'TCPSERVERWRAP',
  'TLSWRAP',
  'PIPEWRAP',
  'PIPESERVERWRAP',
  'UDPWRAP',
  'GETADDRINFOREQWRAP',
  'PROCESSWRAP',
]);

/** Follows the timers, sockets and servers created while it runs. */
export interface ResourceTracker {
  /**
   * Those still open that keep the event loop alive (`hasRef()`; unref'd timers and sockets do not
   * count), by type, e.g. `['Timeout', 'TCPWRAP']`.
   */
  open(): string[];
  /** Stops tracking. */
  stop(): void;
}

/**
 * Starts tracking resources by identity (an `async_hooks` hook, enabled until `stop()`): unlike
 * counting `process.getActiveResourcesInfo()` by type, a leaked timer cannot hide behind a test
 * runner's timer that happened to be pending at the start.
 */
export function trackResources(): ResourceTracker {
  const live = new Map<number, { type: string; resource: object }>();
  const hook = createHook({
    init(asyncId, type, _triggerAsyncId, resource) {
      if (TRACKED_TYPES.has(type)) live.set(asyncId, { type, resource });
    },
    destroy(asyncId) {
      live.delete(asyncId);
    },
  });
  hook.enable();
  return {
    open: () =>
      [...live.values()]
        .filter(({ resource }) => {
          const hasRef = (resource as { hasRef?: () => boolean }).hasRef;
          return typeof hasRef !== 'function' || hasRef.call(resource);
        })
        .map(({ type }) => type),
    stop: () => {
      hook.disable();
    },
  };
}

/**
 * Waits up to `graceMs` for the tracked resources to close (closing sockets take a few event-loop
 * turns) and returns those still open, e.g. `['Timeout ×1']` (`[]`: nothing leaked).
 */
export async function leftoverResources(tracker: ResourceTracker, graceMs: number): Promise<string[]> {
  const deadline = Date.now() + graceMs;
  let open = tracker.open();
  while (open.length > 0 && Date.now() < deadline) {
    // An unref'd timer: it does not hold the process, so the tracker does not report the checker itself.
    await new Promise((resolve) => setTimeout(resolve, 20).unref());
    open = tracker.open();
  }
  const counts = new Map<string, number>();
  for (const type of open) counts.set(type, (counts.get(type) ?? 0) + 1);
  return [...counts].map(([type, count]) => `${type} ×${count}`);
}
