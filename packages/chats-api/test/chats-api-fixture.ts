import type { ChatAdapter, ChatEvent } from '@switchboard/core';
import { type ChatsApiEmulator, startChatsApiEmulator } from '@switchboard/emulators/chats-api';
import { vi } from 'vitest';
import { createChatsApiAdapter } from '../src/chats-api-adapter.js';
import type { ChatsApiCommonOptions } from '../src/chats-api-options.js';

/** Alice (us) and Bob (the peer) on a fresh emulator. */
export const ALICE = { username: 'alice', password: 'alice-password-1' };
export const BOB = { username: 'bob', password: 'bob-password-1', firstName: 'Bob', lastName: 'Builder' };

/** A fresh emulator with Alice and Bob, and an adapter logged in as Alice. */
export async function startFixture(options: ChatsApiCommonOptions = {}) {
  const emulator: ChatsApiEmulator = await startChatsApiEmulator({ users: [ALICE, BOB] });
  return fixtureOn(emulator, { reconnect: { minDelayMs: 10, maxDelayMs: 50 }, ...options });
}

/**
 * An adapter logged in as Alice on `emulator` (retries after 5–20 ms), Bob's peer, and a teardown that
 * closes the adapter, then runs `beforeEmulatorClose` (e.g. closing a proxy), then closes the emulator.
 */
export function fixtureOn(
  emulator: ChatsApiEmulator,
  options: ChatsApiCommonOptions = {},
  beforeEmulatorClose: () => Promise<void> = async () => {},
) {
  const adapter: ChatAdapter = createChatsApiAdapter({
    baseUrl: emulator.url,
    username: ALICE.username,
    password: ALICE.password,
    retry: { minDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });
  return {
    emulator,
    adapter,
    bob: emulator.as(BOB.username),
    async teardown() {
      await adapter.close?.();
      await beforeEmulatorClose();
      await emulator.close();
    },
  };
}

/** Collects a subscription's events; `waitFor` resolves with the first matching one. */
export function eventCollector() {
  const events: ChatEvent[] = [];
  const errors: unknown[] = [];
  return {
    events,
    errors,
    sink: (event: ChatEvent): void => {
      events.push(event);
    },
    onError: (error: unknown) => errors.push(error),
    /** Texts of the `message.created` events so far, in order. */
    texts: () => events.flatMap((e) => (e.type === 'message.created' ? [e.message.text] : [])),
    waitFor: (predicate: (event: ChatEvent) => boolean, timeoutMs = 3_000): Promise<ChatEvent> =>
      vi.waitFor(
        () => {
          const found = events.find(predicate);
          if (found) return found;
          throw new Error(
            `no matching event in ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.type))}; errors: ${errors.map(String).join(' | ')}`,
          );
        },
        { timeout: timeoutMs, interval: 5 },
      ),
  };
}

/** `true` for a `message.created` event with this text. */
export const messageWithText = (text: string) => (event: ChatEvent) =>
  event.type === 'message.created' && event.message.text === text;
