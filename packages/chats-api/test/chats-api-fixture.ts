import type { ChatAdapter, ChatEvent } from '@switchboard/core';
import { type ChatsApiEmulator, startChatsApiEmulator } from '@switchboard/emulators/chats-api';
import { createChatsApiAdapter } from '../src/chats-api-adapter.js';
import type { ChatsApiCommonOptions } from '../src/chats-api-options.js';

/** Alice (us) and Bob (the peer) on a fresh emulator. */
export const ALICE = { username: 'alice', password: 'alice-password-1' };
export const BOB = { username: 'bob', password: 'bob-password-1', firstName: 'Bob', lastName: 'Builder' };

/** A fresh emulator with Alice and Bob, and an adapter logged in as Alice. */
export async function startFixture(options: ChatsApiCommonOptions = {}) {
  const emulator: ChatsApiEmulator = await startChatsApiEmulator({ users: [ALICE, BOB] });
  const adapter: ChatAdapter = createChatsApiAdapter({
    baseUrl: emulator.url,
    username: ALICE.username,
    password: ALICE.password,
    retry: { minDelayMs: 5, maxDelayMs: 20 },
    reconnect: { minDelayMs: 10, maxDelayMs: 50 },
    ...options,
  });
  return {
    emulator,
    adapter,
    bob: emulator.as(BOB.username),
    async teardown() {
      await adapter.close?.();
      await emulator.close();
    },
  };
}

/** Collects a subscription's events; `waitFor` resolves with the first matching one. */
export function eventCollector() {
  const events: ChatEvent[] = [];
  const errors: unknown[] = [];
  const waiters = new Set<() => void>();
  return {
    events,
    errors,
    sink: (event: ChatEvent) => {
      events.push(event);
      for (const wake of waiters) wake();
    },
    onError: (error: unknown) => errors.push(error),
    /** Texts of the `message.created` events so far, in order. */
    texts: () => events.flatMap((e) => (e.type === 'message.created' ? [e.message.text] : [])),
    waitFor(predicate: (event: ChatEvent) => boolean, timeoutMs = 3_000): Promise<ChatEvent> {
      return new Promise((resolve, reject) => {
        const look = () => {
          const found = events.find(predicate);
          if (!found) return;
          waiters.delete(look);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(look);
          reject(
            new Error(
              `no matching event in ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.type))}; errors: ${errors.map(String).join(' | ')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(look);
        look();
      });
    },
  };
}

/** `true` for a `message.created` event with this text. */
export const messageWithText = (text: string) => (event: ChatEvent) =>
  event.type === 'message.created' && event.message.text === text;
