/**
 * Watches the `signal` the adapter hands to `openChatsApiSocket` (the realtime subscription's
 * long-lived one) and its `abort` listener count each time a socket is opened. Use it as a vitest mock:
 *
 * ```ts
 * vi.mock('../src/chats-api-socket.js', async (importOriginal) =>
 *   (await import('./socket-signal-spy.js')).withSignalSpy(await importOriginal()),
 * );
 * ```
 * @module
 */
import { EventEmitter } from 'node:events';
import type * as SocketModule from '../src/chats-api-socket.js';

/** What the spy saw since the last {@link resetSignalSpy}. */
export const socketSignals = {
  /** Every distinct signal given to `openChatsApiSocket`. */
  signals: new Set<AbortSignal>(),
  /** `abort` listeners on that signal at each `openChatsApiSocket` call, in order. */
  listenersAtOpen: [] as number[],
};

/** Forgets what the spy saw. */
export function resetSignalSpy(): void {
  socketSignals.signals.clear();
  socketSignals.listenersAtOpen = [];
}

/** `abort` listeners on `signal` now. */
export const abortListeners = (signal: AbortSignal): number =>
  EventEmitter.getEventListeners(signal, 'abort').length;

/** The socket module with `openChatsApiSocket` wrapped by the spy. */
export function withSignalSpy(actual: typeof SocketModule): typeof SocketModule {
  return {
    ...actual,
    openChatsApiSocket: (options) => {
      if (options.signal) {
        socketSignals.signals.add(options.signal);
        socketSignals.listenersAtOpen.push(abortListeners(options.signal));
      }
      return actual.openChatsApiSocket(options);
    },
  };
}
