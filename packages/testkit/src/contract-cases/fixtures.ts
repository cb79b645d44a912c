import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Capabilities, ChatAdapter, Message, Messenger, SubscribeOptions } from '@switchboard/core';
import type { ContractPeer } from '../contract-types.js';
import { describeThrown } from './contract-assert.js';

/** A text no other case (or run) writes, so a case finds exactly its own messages. */
export function uniqueText(label: string): string {
  return `contract ${label} ${randomUUID().slice(0, 8)}`;
}

/** A unique prefix for numbered texts: `${prefix}${i}`. */
export function uniquePrefix(label: string): string {
  return `contract-${label}-${randomUUID().slice(0, 8)}-`;
}

/**
 * Has the peer write `count` messages, oldest first, texts `${prefix}0` … `${prefix}${count - 1}`:
 * through `peer.seedHistory` when the peer has it, else one `peer.send` at a time.
 */
export async function seedHistory(
  peer: ContractPeer,
  conversationId: string,
  count: number,
  prefix: string,
): Promise<void> {
  if (peer.seedHistory) {
    await peer.seedHistory(conversationId, count, prefix);
    return;
  }
  for (let i = 0; i < count; i += 1) await peer.send(conversationId, `${prefix}${i}`);
}

/**
 * A text exactly `length` units long in the provider's unit, made of characters that are longer in
 * every other unit: `e` + combining acute (1 grapheme, 2 code points, 3 UTF-8 bytes) when the provider
 * counts graphemes, `😀` (1 code point, 2 UTF-16 units, 4 bytes) when it counts code points, and for
 * UTF-16 code units `😀`s (plus one `a` for an odd length): fewer graphemes and code points than units.
 * An adapter whose manifest names the wrong unit fails with such a text.
 */
export function textOfLength(length: number, unit: Capabilities['textLengthUnit']): string {
  if (unit === 'utf-16') return '😀'.repeat(Math.floor(length / 2)) + (length % 2 === 1 ? 'a' : '');
  return (unit === 'graphemes' ? 'e\u0301' : '😀').repeat(length);
}

/** Attachment URLs that need no network: tiny `data:` URLs. */
export const sampleAttachments = {
  image: {
    kind: 'image',
    url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    name: 'contract.png',
  },
  file: { kind: 'file', url: 'data:text/plain;base64,Y29udHJhY3Q=', name: 'contract.txt' },
} as const;

/** Clamps `value` into `[min, max]`. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * How long the silence checks (no event, no request) watch, in ms: 3× the time a message took to
 * arrive while live, at least 300 ms. A healthy adapter stays silent however long one watches, so
 * load cannot make it fail.
 */
export const quietWindow = (deliveryMs: number): number => Math.max(300, deliveryMs * 3);

/**
 * Resolves with the first `'message'` event matching `predicate`; after `timeoutMs` rejects with an
 * `AssertionError` whose message `timeoutMessage` writes from the `'error'` events seen meanwhile
 * (each described by `describeThrown`).
 */
export function nextMessageEvent(
  messenger: Messenger,
  predicate: (message: Message) => boolean,
  timeoutMs: number,
  timeoutMessage: (errors: string[]) => string,
): Promise<Message> {
  return new Promise((resolve, reject) => {
    const errors: string[] = [];
    const onError = (error: unknown) => errors.push(describeThrown(error));
    const onMessage = (message: Message) => {
      if (!predicate(message)) return;
      done();
      resolve(message);
    };
    const timer = setTimeout(() => {
      done();
      reject(new assert.AssertionError({ message: timeoutMessage(errors) }));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      messenger.off('message', onMessage);
      messenger.off('error', onError);
    };
    messenger.on('message', onMessage);
    messenger.on('error', onError);
  });
}

/** Resolves at the next `'error'` event; after `timeoutMs` rejects with an `AssertionError` saying `timeoutMessage`. */
export function nextErrorEvent(
  messenger: Messenger,
  timeoutMs: number,
  timeoutMessage: string,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onError = (error: unknown) => {
      clearTimeout(timer);
      resolve(error);
    };
    const timer = setTimeout(() => {
      messenger.off('error', onError);
      reject(new assert.AssertionError({ message: timeoutMessage }));
    }, timeoutMs);
    messenger.once('error', onError);
  });
}

/**
 * Subscribes through `adapter.subscribe(sink, options)` with a sink that records the text of every
 * `message.created` event in `delivered`. `firstDelivered(timeoutMs)` has the peer send `first` and
 * resolves with the ms it took to reach the sink (rejects with an `AssertionError` after `timeoutMs`);
 * `assertNothingAfter(deliveryMs, label, message)` then has the peer send another text and fails with
 * `message` if it reaches the sink within {@link quietWindow}.
 */
export async function subscribeRecordingTexts(
  adapter: ChatAdapter,
  peer: ContractPeer,
  conversationId: string,
  first: string,
  options: SubscribeOptions,
) {
  const delivered: string[] = [];
  let arrived: (() => void) | undefined;
  const subscription = await adapter.subscribe!((event) => {
    if (event.type !== 'message.created') return;
    delivered.push(event.message.text);
    if (event.message.text === first) arrived?.();
  }, options);
  return {
    subscription,
    delivered,
    async firstDelivered(timeoutMs: number): Promise<number> {
      const started = performance.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        new Promise<void>((resolve) => {
          arrived = resolve;
          void peer.send(conversationId, first);
        }),
        new Promise((_, reject) => {
          timer = setTimeout(
            () =>
              reject(new assert.AssertionError({ message: 'the subscription delivered no peer message' })),
            timeoutMs,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      return performance.now() - started;
    },
    async assertNothingAfter(deliveryMs: number, label: string, message: string): Promise<void> {
      const late = uniqueText(label);
      await peer.send(conversationId, late);
      await new Promise((resolve) => setTimeout(resolve, quietWindow(deliveryMs)).unref());
      assert.ok(!delivered.includes(late), message);
    },
  };
}
