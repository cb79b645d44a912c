/**
 * WebSocket chaos: the adapter's `/ws` goes through a proxy that cuts connections at random points
 * (mostly mid-frame, sometimes mid-handshake) and on request, while a peer sends messages across
 * several chats. Every message must arrive exactly once, in order per chat.
 *
 * Size: `SWITCHBOARD_CHAOS_MESSAGES` (default 500); seed: `SWITCHBOARD_CHAOS_SEED` (default random,
 * printed, so a failing run can be replayed).
 */
import { SwitchboardError } from '@switchboard/core';
import { afterEach, expect, it, vi } from 'vitest';
import { chaosSeed, createPrng } from './chaos-proxy.js';
import { eventCollector } from './chats-api-fixture.js';
import { startProxiedFixture } from './proxied-fixture.js';
import { abortListeners, resetSignalSpy, socketSignals } from './socket-signal-spy.js';

vi.mock('../src/chats-api-socket.js', async (importOriginal) =>
  (await import('./socket-signal-spy.js')).withSignalSpy(await importOriginal()),
);

const MESSAGES = Number(process.env.SWITCHBOARD_CHAOS_MESSAGES) || 500;
const CHATS = 5;
/** Cuts asked of the proxy while the peer sends, on top of the random ones. */
const REQUESTED_CUTS = 15;
const SEED = chaosSeed();

let teardown: (() => Promise<void>) | undefined;
afterEach(async () => {
  await teardown?.();
  teardown = undefined;
  resetSignalSpy();
});

it(`delivers ${MESSAGES} of ${MESSAGES} peer messages exactly once, in order per chat, through a proxy that keeps cutting the WebSocket`, {
  timeout: 30_000 + MESSAGES * 20,
}, async () => {
  console.info(
    `[chats-api chaos] seed ${SEED} (replay: SWITCHBOARD_CHAOS_SEED=${SEED}), ${MESSAGES} messages`,
  );
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  const fixture = await startProxiedFixture({
    proxy: { seed: SEED, cutAfterBytes: { min: 200, max: 5_000 }, handshakeCutRate: 0.1 },
  });
  teardown = async () => {
    process.off('warning', onWarning);
    await fixture.teardown();
  };
  const { adapter, bob, proxy } = fixture;
  const chats = Array.from({ length: CHATS }, (_, i) =>
    bob.createChat({ users: ['alice'], name: `room ${i}` }),
  );
  const collector = eventCollector();
  await adapter.subscribe!(collector.sink, { onError: collector.onError });
  const [signal] = socketSignals.signals;
  const listenersAfterFirstConnect = abortListeners(signal!);

  // The peer: one message per tick to a random chat (seeded), asking for a cut every so often.
  const random = createPrng(SEED ^ 0x5eed);
  const sent = new Map<string, string[]>(chats.map((chat) => [chat.id, []]));
  for (let i = 0; i < MESSAGES; i += 1) {
    if (i % Math.floor(MESSAGES / REQUESTED_CUTS) === 0) proxy.requestCut();
    const chat = chats[Math.floor(random() * CHATS)]!;
    const text = `#${i} in ${chat.name}`;
    bob.sendMessage(chat.id, text);
    sent.get(chat.id)!.push(text);
    // At most ~2 messages per millisecond: a busy peer, not a flood that outruns the catch-up's
    // documented bound (1,000 messages per chat while disconnected).
    if (i % 2 === 1) await new Promise((resolve) => setTimeout(resolve, 1));
    else await new Promise((resolve) => setImmediate(resolve));
  }
  // Every requested cut happens (each needs one more server→client chunk: a message or a handshake).
  await proxy.cutsDone();
  proxy.calm();
  // A last message per chat, once the proxy is calm: when it is delivered, that chat was caught up.
  for (const chat of chats) bob.sendMessage(chat.id, `fence ${chat.name}`);
  for (const chat of chats)
    await collector.waitFor(
      (e) => e.type === 'message.created' && e.message.text === `fence ${chat.name}`,
      15_000,
    );

  const created = collector.events.flatMap((e) => (e.type === 'message.created' ? [e.message] : []));
  const peerMessages = created.filter((m) => m.text.startsWith('#'));
  const distinct = new Set(peerMessages.map((m) => m.id));
  const lost = MESSAGES - distinct.size;
  const duplicates = peerMessages.length - distinct.size;
  const figures = {
    seed: SEED,
    messages: MESSAGES,
    delivered: distinct.size,
    lost,
    duplicates,
    cuts: proxy.cuts,
    midChunkCuts: proxy.midChunkCuts,
    proxiedConnections: proxy.connections,
    socketOpens: socketSignals.listenersAtOpen.length,
    abortListeners: {
      afterFirstConnect: listenersAfterFirstConnect,
      atEachOpen: socketSignals.listenersAtOpen,
    },
    errorsReported: collector.errors.length,
  };
  console.info(`[chats-api chaos] ${JSON.stringify({ ...figures, abortListeners: undefined })}`);
  console.info(
    `[chats-api chaos] abort listeners after the first connect ${listenersAfterFirstConnect}, at each socket open: min ${Math.min(...socketSignals.listenersAtOpen)}, max ${Math.max(...socketSignals.listenersAtOpen)}`,
  );

  if (lost > 0) {
    const got = new Set(peerMessages.map((m) => m.text));
    const missing = [...sent.values()].flat().filter((text) => !got.has(text));
    console.info(`[chats-api chaos] not delivered: ${missing.slice(0, 50).join(', ')}`);
  }
  expect(proxy.cuts).toBeGreaterThanOrEqual(10);
  expect(proxy.midChunkCuts).toBeGreaterThan(0);
  expect({ lost, duplicates }).toEqual({ lost: 0, duplicates: 0 });
  for (const chat of chats)
    expect(
      created.filter((m) => m.conversationId === chat.id && m.text.startsWith('#')).map((m) => m.text),
    ).toEqual(sent.get(chat.id));

  // One signal for the whole subscription; its listeners do not grow with reconnects (a pass's one
  // in-flight history request may hold one more at the moment a socket opens).
  expect(socketSignals.signals.size).toBe(1);
  expect(socketSignals.listenersAtOpen.length).toBeGreaterThanOrEqual(10);
  expect(Math.max(...socketSignals.listenersAtOpen)).toBeLessThanOrEqual(listenersAfterFirstConnect + 1);
  expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  // Drops and failed reconnects are reported, as SwitchboardErrors of this provider only.
  expect(collector.errors.length).toBeGreaterThan(0);
  for (const error of collector.errors)
    expect(SwitchboardError.isInstance(error) && error.provider === 'chats-api').toBe(true);
});
