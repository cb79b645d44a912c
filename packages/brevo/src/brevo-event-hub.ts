import type { ChatEvent, EventSink } from '@switchboard/core';

/** One subscriber: where events go, and where errors the adapter recovered from go. */
export interface BrevoSubscriber {
  sink: EventSink;
  onError?: (error: unknown) => void;
}

/** Fans events and recovered errors out to every subscriber; a throwing sink is reported, never rethrown. */
export interface BrevoEventHub {
  add(subscriber: BrevoSubscriber): void;
  /** Removes a subscriber; returns `true` when none is left. */
  remove(subscriber: BrevoSubscriber): boolean;
  emit(event: ChatEvent): void;
  reportError(error: unknown): void;
  clear(): void;
}

/** Creates an empty hub. */
export function createBrevoEventHub(): BrevoEventHub {
  const subscribers = new Set<BrevoSubscriber>();
  return {
    add: (subscriber) => void subscribers.add(subscriber),
    remove(subscriber) {
      subscribers.delete(subscriber);
      return subscribers.size === 0;
    },
    emit(event) {
      for (const subscriber of subscribers) {
        try {
          subscriber.sink(event);
        } catch (error) {
          subscriber.onError?.(error);
        }
      }
    },
    reportError(error) {
      for (const subscriber of subscribers) subscriber.onError?.(error);
    },
    clear: () => subscribers.clear(),
  };
}
