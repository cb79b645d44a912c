import type { EventSink } from './chat-adapter.js';
import type { ChatEvent } from './chat-event.js';

/** One subscriber of a realtime source: where events go, and where errors go. */
export interface EventSubscriber {
  sink: EventSink;
  /** Told when `sink` throws, and about errors the source recovered from. */
  onError?: ((error: unknown) => void) | undefined;
}

/**
 * Delivers one event to one sink. A sink that throws never breaks the caller's loop: its error goes
 * to `onError`, and an `onError` that throws is swallowed.
 */
export function deliverEvent(subscriber: EventSubscriber, event: ChatEvent): void {
  try {
    subscriber.sink(event);
  } catch (error) {
    reportTo(subscriber, error);
  }
}

function reportTo(subscriber: EventSubscriber, error: unknown): void {
  try {
    subscriber.onError?.(error);
  } catch {
    // An error handler that throws must not stop delivery to the others.
  }
}

/** The subscribers of one realtime source. See {@link createEventFanOut}. */
export interface EventFanOut {
  /** Adds a subscriber; returns the function that removes it. */
  add(subscriber: EventSubscriber): () => void;
  /** Removes a subscriber; returns `true` when none is left (time to stop the source). */
  remove(subscriber: EventSubscriber): boolean;
  /** Delivers `event` to every subscriber, in the order they were added (see {@link deliverEvent}). */
  emit(event: ChatEvent): void;
  /** Tells every subscriber's `onError` about an error the source recovered from. */
  reportError(error: unknown): void;
  /** How many subscribers there are. */
  readonly size: number;
  /** Removes every subscriber. */
  clear(): void;
}

/**
 * The fan-out of a realtime source (one WebSocket, webhook endpoint or poll loop) to many `subscribe`
 * callers. A throwing sink is reported to its own `onError` and never reaches the source or the
 * other subscribers.
 */
export function createEventFanOut(): EventFanOut {
  const subscribers = new Set<EventSubscriber>();
  const remove = (subscriber: EventSubscriber) => {
    subscribers.delete(subscriber);
    return subscribers.size === 0;
  };
  return {
    add(subscriber) {
      subscribers.add(subscriber);
      return () => void remove(subscriber);
    },
    remove,
    emit(event) {
      for (const subscriber of [...subscribers]) deliverEvent(subscriber, event);
    },
    reportError(error) {
      for (const subscriber of [...subscribers]) reportTo(subscriber, error);
    },
    get size() {
      return subscribers.size;
    },
    clear: () => subscribers.clear(),
  };
}
