import {
  type ChatEvent,
  createEventFanOut,
  type EventSink,
  type SubscribeOptions,
  type Subscription,
} from '@switchboard/core';

/**
 * The sinks registered with `subscribe`. Aurora's realtime source is the reply stream of each send,
 * so subscribing opens no connection: it only registers the sink (core's `createEventFanOut`).
 */
export function createAuroraEventSinks() {
  const fanOut = createEventFanOut();
  return {
    /** Registers a sink until the subscription is closed or `options.signal` aborts. */
    add(sink: EventSink, options: SubscribeOptions = {}): Subscription {
      const subscriber = { sink, onError: options.onError };
      const remove = () => void fanOut.remove(subscriber);
      if (!options.signal?.aborted) fanOut.add(subscriber);
      options.signal?.addEventListener('abort', remove, { once: true });
      return {
        async close() {
          remove();
          options.signal?.removeEventListener('abort', remove);
        },
      };
    },
    /** Delivers an event to every sink; a sink that throws is reported to its `onError`. */
    emit: (event: ChatEvent): void => fanOut.emit(event),
    /** Removes every sink. */
    clear: (): void => fanOut.clear(),
  };
}
