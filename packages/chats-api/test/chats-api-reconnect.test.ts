import { getEventListeners } from 'node:events';
import type { ChatAdapter } from '@switchboard/core';
import { NetworkError } from '@switchboard/core';
import { type ChatsApiEmulator, startChatsApiEmulator } from '@switchboard/emulators/chats-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChatsApiAdapter } from '../src/chats-api-adapter.js';
import type { ChatsApiCommonOptions } from '../src/chats-api-options.js';
import { ALICE, BOB, eventCollector, messageWithText } from '../src/test-support/chats-api-fixture.js';
import { type ChaosProxy, type ChaosProxyOptions, startChaosProxy } from './chaos-proxy.js';

/** Every `signal` the adapter hands to `openChatsApiSocket`, and its `abort` listener count at that moment. */
const sockets = vi.hoisted(() => ({ signals: new Set<AbortSignal>(), listenersAtOpen: [] as number[] }));
vi.mock('../src/chats-api-socket.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/chats-api-socket.js')>();
  const { EventEmitter } = await import('node:events');
  return {
    ...actual,
    openChatsApiSocket: (options: Parameters<typeof actual.openChatsApiSocket>[0]) => {
      if (options.signal) {
        sockets.signals.add(options.signal);
        sockets.listenersAtOpen.push(EventEmitter.getEventListeners(options.signal, 'abort').length);
      }
      return actual.openChatsApiSocket(options);
    },
  };
});

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
  sockets.signals.clear();
  sockets.listenersAtOpen = [];
});

/** Emulator ← proxy ← adapter (WebSocket only; REST goes straight to the emulator). */
async function startThroughProxy(
  proxyOptions: Omit<ChaosProxyOptions, 'targetPort'> = {},
  adapterOptions: ChatsApiCommonOptions = {},
) {
  const emulator: ChatsApiEmulator = await startChatsApiEmulator({ users: [ALICE, BOB] });
  const proxy: ChaosProxy = await startChaosProxy({
    targetPort: Number(new URL(emulator.url).port),
    seed: 1,
    ...proxyOptions,
  });
  const adapter: ChatAdapter = createChatsApiAdapter({
    baseUrl: emulator.url,
    wsUrl: `ws://127.0.0.1:${proxy.port}/ws`,
    username: ALICE.username,
    password: ALICE.password,
    retry: { minDelayMs: 5, maxDelayMs: 20 },
    reconnect: { minDelayMs: 5, maxDelayMs: 20 },
    // Only the reconnect's catch-up may deliver what was missed, not a periodic sync.
    syncIntervalMs: 600_000,
    pingIntervalMs: 600_000,
    ...adapterOptions,
  });
  cleanup.push(
    () => emulator.close(),
    () => proxy.close(),
    async () => {
      await adapter.close!();
    },
  );
  return { emulator, proxy, adapter, bob: emulator.as(BOB.username) };
}

describe('reconnect and catch-up ordering', () => {
  it('peer sends during the handshake: the message missed while down is still delivered, in order', async () => {
    let onHandshake: (() => void) | undefined;
    const { emulator, adapter, bob } = await startThroughProxy({ onHandshake: () => onHandshake?.() });
    const chat = bob.openDirect('alice');
    const collector = eventCollector();
    await adapter.subscribe!(collector.sink, { onError: collector.onError });
    bob.sendMessage(chat.id, 'before');
    await collector.waitFor(messageWithText('before'));

    // The next socket's handshake: the server has subscribed it, and Bob's message reaches it before
    // the adapter's confirming `pong` (so before any catch-up could have run).
    onHandshake = () => {
      onHandshake = undefined;
      bob.sendMessage(chat.id, 'during handshake');
    };
    emulator.dropConnections();
    // Stored while no socket is connected: only the catch-up can deliver it.
    bob.sendMessage(chat.id, 'while down');
    await collector.waitFor(messageWithText('during handshake'));
    expect(onHandshake).toBeUndefined();
    bob.sendMessage(chat.id, 'after');
    await collector.waitFor(messageWithText('after'));
    expect(collector.texts()).toEqual(['before', 'while down', 'during handshake', 'after']);
  });

  it('reports each drop as a retryable NetworkError, and keeps the abort listeners flat over 25 reconnects', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    cleanup.push(async () => {
      process.off('warning', onWarning);
    });
    const { emulator, adapter, bob } = await startThroughProxy();
    const chat = bob.openDirect('alice');
    const collector = eventCollector();
    await adapter.subscribe!(collector.sink, { onError: collector.onError });
    const RECONNECTS = 25;
    for (let i = 0; i < RECONNECTS; i += 1) {
      emulator.dropConnections();
      bob.sendMessage(chat.id, `missed ${i}`);
      await collector.waitFor(messageWithText(`missed ${i}`));
    }
    expect(collector.texts()).toEqual(Array.from({ length: RECONNECTS }, (_, i) => `missed ${i}`));

    // One signal (the subscription's), met by the first socket and every reconnect.
    expect(sockets.signals.size).toBe(1);
    expect(sockets.listenersAtOpen.length).toBeGreaterThanOrEqual(RECONNECTS + 1);
    expect(new Set(sockets.listenersAtOpen)).toEqual(new Set([sockets.listenersAtOpen[0]]));
    const [signal] = sockets.signals;
    expect(getEventListeners(signal!, 'abort').length).toBeLessThanOrEqual(sockets.listenersAtOpen[0]! + 1);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);

    const drops = collector.errors.filter(
      (e) => NetworkError.isInstance(e) && /realtime WebSocket (closed|dropped)/.test(e.message),
    ) as NetworkError[];
    expect(drops).toHaveLength(RECONNECTS);
    for (const drop of drops) expect(drop).toMatchObject({ provider: 'chats-api', retryable: true });
  });
});
