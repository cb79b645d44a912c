import type { ChatAdapter, ChatEvent, Conversation, Message, SwitchboardErrorClass } from '@switchboard/core';
import { createMemoryAdapter, type MemoryAdapterOptions } from '../memory/memory-adapter.js';

/**
 * The reference adapter with some of its members replaced: `override` gets the reference adapter
 * (to call through to) and returns the replacements. How every broken variant starts.
 */
export function wrapReference(
  options: MemoryAdapterOptions,
  override: (reference: ChatAdapter) => Partial<ChatAdapter>,
): ChatAdapter {
  const reference = createMemoryAdapter(options);
  return { ...reference, ...override(reference) };
}

/**
 * The reference adapter that posts a send once more when it failed with an error of class `retried`
 * (the bug: the provider may have stored the first one).
 */
export function resendingAfter(options: MemoryAdapterOptions, retried: SwitchboardErrorClass): ChatAdapter {
  return onFailure(createMemoryAdapter(options), 'sendMessage', async (error, again) => {
    if (!retried.isInstance(error)) throw error;
    return again();
  });
}

/** The names of the adapter's methods that return a promise. */
type AsyncMethodName = {
  [K in keyof ChatAdapter]-?: NonNullable<ChatAdapter[K]> extends (...args: never[]) => Promise<unknown>
    ? K
    : never;
}[keyof ChatAdapter];

/** What the method `K` resolves to. */
type Resolved<K extends AsyncMethodName> =
  NonNullable<ChatAdapter[K]> extends (...args: never[]) => Promise<infer T> ? T : never;

/**
 * `adapter` with the failures of `method` handed to `handle`, which throws what the broken adapter
 * throws instead, or resolves to a result (`again()` calls `adapter`'s method once more with the same
 * arguments). Results of calls that succeed pass through unchanged.
 */
export function onFailure<K extends AsyncMethodName>(
  adapter: ChatAdapter,
  method: K,
  handle: (error: unknown, again: () => Promise<Resolved<K>>) => Promise<Resolved<K>>,
): ChatAdapter {
  const call = adapter[method] as unknown as (...args: unknown[]) => Promise<Resolved<K>>;
  const wrapped = async (...args: unknown[]): Promise<Resolved<K>> => {
    try {
      return await call.apply(adapter, args);
    } catch (error) {
      return handle(error, () => call.apply(adapter, args));
    }
  };
  return { ...adapter, [method]: wrapped };
}

/**
 * The reference adapter with every realtime event passed through `rewrite` on its way to the sink:
 * what it returns is delivered instead (an array: each, in order; `undefined`: nothing).
 */
export function rewritingEvents(
  options: MemoryAdapterOptions,
  rewrite: (event: ChatEvent) => ChatEvent | ChatEvent[] | undefined,
): ChatAdapter {
  return wrapReference(options, (reference) => ({
    subscribe(sink, subscribeOptions) {
      return reference.subscribe!((event) => {
        const out = rewrite(event);
        for (const each of Array.isArray(out) ? out : out ? [out] : []) sink(each);
      }, subscribeOptions);
    },
  }));
}

/** The realtime event of type `T`. */
type EventOfType<T extends ChatEvent['type']> = Extract<ChatEvent, { type: T }>;

/**
 * {@link rewritingEvents} for the events of one `type`: those go through `rewrite`, every other event
 * is delivered as it is.
 */
export function rewritingEventsOf<T extends ChatEvent['type']>(
  options: MemoryAdapterOptions,
  type: T,
  rewrite: (event: EventOfType<T>) => ChatEvent | ChatEvent[] | undefined,
): ChatAdapter {
  return rewritingEvents(options, (event) =>
    event.type === type ? rewrite(event as EventOfType<T>) : event,
  );
}

/** The reference adapter with every message it reads (`getMessage`, `listMessages`) passed through `rewrite`. */
export function rewritingMessageReads(
  options: MemoryAdapterOptions,
  rewrite: (message: Message) => Message,
): ChatAdapter {
  return wrapReference(options, (reference) => ({
    async getMessage(conversationId, messageId, callOptions) {
      return rewrite(await reference.getMessage!(conversationId, messageId, callOptions));
    },
    async listMessages(conversationId, params, callOptions) {
      const page = await reference.listMessages!(conversationId, params, callOptions);
      return { ...page, items: page.items.map(rewrite) };
    },
  }));
}

/**
 * The reference adapter with the conversations `listConversations` (and, unless `alsoGet` is
 * `false`, `getConversation`) returns passed through `rewrite`.
 */
export function rewritingConversationReads(
  options: MemoryAdapterOptions,
  rewrite: (conversation: Conversation) => Conversation,
  { alsoGet = true } = {},
): ChatAdapter {
  return wrapReference(options, (reference) => ({
    ...(alsoGet && {
      async getConversation(conversationId, callOptions) {
        return rewrite(await reference.getConversation!(conversationId, callOptions));
      },
    }),
    async listConversations(params, callOptions) {
      const page = await reference.listConversations!(params, callOptions);
      return { ...page, items: page.items.map(rewrite) };
    },
  }));
}
