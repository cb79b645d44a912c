import type { ChatEvent, EventSink, SubscribeOptions, Subscription } from '@switchboard/core';

/**
 * The sinks registered with `subscribe`. Aurora's realtime source is the reply stream of each send,
 * so subscribing opens no connection: it only registers the sink.
 */
export function createAuroraEventSinks() {
  const sinks = new Set<{ sink: EventSink; onError?: (error: unknown) => void }>();
  return {
    /** Registers a sink until the subscription is closed or `options.signal` aborts. */
    add(sink: EventSink, options: SubscribeOptions = {}): Subscription {
      const entry = { sink, ...(options.onError ? { onError: options.onError } : {}) };
      const remove = () => {
        sinks.delete(entry);
      };
      if (!options.signal?.aborted) sinks.add(entry);
      options.signal?.addEventListener('abort', remove, { once: true });
      return {
        async close() {
          remove();
          options.signal?.removeEventListener('abort', remove);
        },
      };
    },
    /** Delivers an event to every sink; a sink that throws is reported to its `onError`. */
    emit(event: ChatEvent): void {
      for (const { sink, onError } of sinks) {
        try {
          sink(event);
        } catch (error) {
          onError?.(error);
        }
      }
    },
    /** Removes every sink. */
    clear(): void {
      sinks.clear();
    },
  };
}
