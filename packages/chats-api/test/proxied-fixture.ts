/**
 * Emulator ← chaos proxy ← adapter: the adapter's WebSocket goes through the proxy, its REST calls go
 * straight to the emulator.
 * @module
 */
import {
  type ChatsApiEmulator,
  type ChatsApiUserInput,
  startChatsApiEmulator,
} from '@switchboard/emulators/chats-api';
import type { ChatsApiCommonOptions } from '../src/chats-api-options.js';
import { type ChaosProxy, type ChaosProxyOptions, startChaosProxy } from './chaos-proxy.js';
import { ALICE, BOB, fixtureOn } from './chats-api-fixture.js';

/** Options of {@link startProxiedFixture}. */
export interface ProxiedFixtureOptions {
  proxy?: Omit<ChaosProxyOptions, 'targetPort'>;
  adapter?: ChatsApiCommonOptions;
  /** Users besides Alice (us) and Bob. */
  users?: ChatsApiUserInput[];
}

/**
 * Starts an emulator with Alice and Bob, a proxy to it, and an adapter logged in as Alice whose
 * WebSocket goes through the proxy. Reconnects are fast (5–20 ms) and the periodic sync and ping are
 * off (10 min), so only a reconnect's catch-up can deliver what a drop made the socket miss.
 */
export async function startProxiedFixture(options: ProxiedFixtureOptions = {}) {
  const emulator: ChatsApiEmulator = await startChatsApiEmulator({
    users: [ALICE, BOB, ...(options.users ?? [])],
  });
  const proxy: ChaosProxy = await startChaosProxy({
    targetPort: Number(new URL(emulator.url).port),
    ...options.proxy,
  });
  const fixture = fixtureOn(
    emulator,
    {
      wsUrl: `ws://127.0.0.1:${proxy.port}/ws`,
      reconnect: { minDelayMs: 5, maxDelayMs: 20 },
      syncIntervalMs: 600_000,
      pingIntervalMs: 600_000,
      ...options.adapter,
    },
    () => proxy.close(),
  );
  return { ...fixture, proxy };
}
