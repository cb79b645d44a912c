import { NetworkError, ProviderUnavailableError } from '@switchboard/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventCollector, messageWithText } from './chats-api-fixture.js';
import { type ProxiedFixtureOptions, startProxiedFixture } from './proxied-fixture.js';
import { abortListeners, resetSignalSpy, socketSignals as sockets } from './socket-signal-spy.js';

vi.mock('../src/chats-api-socket.js', async (importOriginal) =>
  (await import('./socket-signal-spy.js')).withSignalSpy(await importOriginal()),
);

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
  resetSignalSpy();
});

async function startThroughProxy(
  proxy: ProxiedFixtureOptions['proxy'] = {},
  adapter: ProxiedFixtureOptions['adapter'] = {},
) {
  const fixture = await startProxiedFixture({ proxy: { seed: 1, ...proxy }, adapter });
  cleanup.push(fixture.teardown);
  return fixture;
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

  it('a chat created just before the socket connects: conversation.created, its history, then its live messages', async () => {
    let onUpgradeRequest: (() => void) | undefined;
    let onHandshake: (() => void) | undefined;
    const { adapter, bob } = await startThroughProxy({
      onUpgradeRequest: () => onUpgradeRequest?.(),
      onHandshake: () => onHandshake?.(),
    });
    const collector = eventCollector();
    let created: { id: string } | undefined;
    // After the adapter's snapshot (`GET /chats`), before the server accepts the socket: the server
    // subscribes the socket to this chat, which the adapter does not know yet.
    onUpgradeRequest = () => {
      onUpgradeRequest = undefined;
      created = bob.createChat({ users: ['alice'], name: 'Just now' });
      bob.sendMessage(created.id, 'history');
    };
    onHandshake = () => {
      onHandshake = undefined;
      bob.sendMessage(created!.id, 'live');
    };
    await adapter.subscribe!(collector.sink, { onError: collector.onError });
    await collector.waitFor(messageWithText('live'));
    const events = collector.events.map((e) =>
      e.type === 'message.created' ? e.message.text : `${e.type} ${e.conversationId === created!.id}`,
    );
    expect(events).toEqual(['conversation.created true', 'history', 'live']);
  });

  it('delivers once, at the next sync, a message another client sent over REST that a live one overtook', async () => {
    const { adapter, bob } = await startThroughProxy({}, { syncIntervalMs: 100 });
    const chat = bob.openDirect('alice');
    const collector = eventCollector();
    await adapter.subscribe!(collector.sink, { onError: collector.onError });
    bob.sendMessage(chat.id, 'before');
    await collector.waitFor(messageWithText('before'));
    bob.sendMessage(chat.id, 'quiet', { via: 'rest' }); // stored, never broadcast
    bob.sendMessage(chat.id, 'loud');
    await collector.waitFor(messageWithText('quiet'));
    // Later syncs read the same history again: nothing is delivered twice.
    bob.sendMessage(chat.id, 'quiet again', { via: 'rest' });
    await collector.waitFor(messageWithText('quiet again'));
    expect(collector.texts()).toEqual(['before', 'loud', 'quiet', 'quiet again']);
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
    expect(abortListeners(signal!)).toBeLessThanOrEqual(sockets.listenersAtOpen[0]! + 1);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);

    const drops = collector.errors.filter(
      (e) => NetworkError.isInstance(e) && /realtime WebSocket (closed|dropped)/.test(e.message),
    ) as NetworkError[];
    expect(drops).toHaveLength(RECONNECTS);
    for (const drop of drops) expect(drop).toMatchObject({ provider: 'chats-api', retryable: true });
  });

  it("holds a chat's live messages while its catch-up fails, then delivers them after the missed ones", async () => {
    const { emulator, adapter, bob } = await startThroughProxy({}, { syncIntervalMs: 100, retry: false });
    const chat = bob.openDirect('alice');
    const collector = eventCollector();
    const failedCatchUps: unknown[] = [];
    let wake: (() => void) | undefined;
    const nextFailedCatchUp = () => new Promise<void>((resolve) => (wake = resolve));
    // Wakes on the next failed catch-up, or on a live message (a broken hold must not hang the test).
    const sink: typeof collector.sink = (event) => {
      collector.sink(event);
      if (event.type === 'message.created') wake?.();
    };
    await adapter.subscribe!(sink, {
      onError: (error) => {
        collector.onError(error);
        if (ProviderUnavailableError.isInstance(error)) {
          failedCatchUps.push(error);
          wake?.();
        }
      },
    });
    bob.sendMessage(chat.id, 'before');
    await collector.waitFor(messageWithText('before'));

    // History reads of this chat fail (503, no retries) until the fault is removed.
    const fault = emulator.faults.inject({
      fault: { kind: 'status', status: 503 },
      match: { method: 'GET', path: `/chats/${chat.id}` },
      times: Number.POSITIVE_INFINITY,
    });
    let failed = nextFailedCatchUp();
    emulator.dropConnections();
    bob.sendMessage(chat.id, 'while down');
    await failed; // the new socket is open; its catch-up of the chat failed
    bob.sendMessage(chat.id, 'live, held');
    failed = nextFailedCatchUp();
    await failed; // a periodic sync failed too (or, were it not held, the live message came)
    expect(collector.texts()).toEqual(['before']);
    fault.remove();
    await collector.waitFor(messageWithText('live, held'));
    expect(collector.texts()).toEqual(['before', 'while down', 'live, held']);
  });
});
