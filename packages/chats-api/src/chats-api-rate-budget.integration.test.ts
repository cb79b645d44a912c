import { createMemoryStateStore } from '@switchboard/core';
import { type ChatsApiEmulator, startChatsApiEmulator } from '@switchboard/emulators/chats-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatsApiAdapter } from './chats-api-adapter.js';

/**
 * `rateLimitState`: two adapters (instances) sharing one store wait on the window the first one
 * learned, so the second is not answered 429. (Multi-process version: `@switchboard/redis`.)
 */
const ALICE = { username: 'alice', password: 'alice-password' };
let emulator: ChatsApiEmulator | undefined;
const closers: Array<() => unknown> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await emulator?.close();
});

describe('chats API shared rate budget', () => {
  it('a second instance waits for the window the first one spent (no 429)', async () => {
    emulator = await startChatsApiEmulator({ users: [ALICE] });
    const store = createMemoryStateStore();
    const make = (shared: boolean) => {
      const adapter = createChatsApiAdapter({
        baseUrl: emulator!.url,
        accessToken: emulator!.tokenFor(ALICE.username),
        retry: false,
        ...(shared ? { rateLimitState: { store, key: 'chats-api:{alice}:ratelimit' } } : {}),
      });
      closers.push(() => adapter.close?.());
      return adapter;
    };
    const run = async (shared: boolean) => {
      emulator!.faults.setRateLimit(undefined);
      emulator!.faults.resetStats();
      const [first, second] = [make(shared), make(shared)];
      // Warm up (the first call of each also reads `/me`), then count: one request per call.
      await Promise.all([first.listConversations!({ limit: 1 }), second.listConversations!({ limit: 1 })]);
      emulator!.faults.setRateLimit({ limit: 3, windowMs: 1_000 });
      emulator!.faults.resetStats();
      for (let i = 0; i < 3; i += 1) await first.listConversations!({ limit: 1 });
      expect(emulator!.faults.requestCount).toBe(3);
      await second.listConversations!({ limit: 1 }).catch(() => undefined);
      return emulator!.faults.rateLimitedCount;
    };
    // Baseline: per-process windows, the second instance is refused once.
    expect(await run(false)).toBe(1);
    expect(await run(true)).toBe(0);
  });
});
