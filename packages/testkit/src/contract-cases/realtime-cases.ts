import assert from 'node:assert/strict';
import type { Message, Messenger } from '@switchboard/core';
import type { ContractCase, ContractCaseContext } from '../contract-case.js';
import {
  nextErrorEvent,
  nextMessageEvent,
  quietWindow,
  subscribeRecordingTexts,
  uniqueText,
} from './fixtures.js';
import { faultsOf } from './requests.js';
import { allOf, realtimeKind, realtimeSkipReason, withFaults, withRealtime } from './requirements.js';
import { leftoverResources } from './resource-tracker.js';

/** Collects every `'message'` event (and `'error'` event) from now on. */
function recordEvents(messenger: Messenger) {
  const messages: Message[] = [];
  const errors: unknown[] = [];
  const onMessage = (message: Message) => messages.push(message);
  const onError = (error: unknown) => errors.push(error);
  messenger.on('message', onMessage);
  messenger.on('error', onError);
  return {
    messages,
    errors,
    stop() {
      messenger.off('message', onMessage);
      messenger.off('error', onError);
    },
  };
}

/**
 * Opens a conversation with the peer, starts realtime, and runs `check` while {@link recordEvents}
 * records; recording stops afterwards, whether `check` passed or threw.
 */
async function whileRecording(
  context: ContractCaseContext,
  check: (conversationId: string, events: ReturnType<typeof recordEvents>) => Promise<void>,
): Promise<void> {
  const conversationId = await context.peer.startConversation();
  await context.messenger.start();
  const events = recordEvents(context.messenger);
  try {
    await check(conversationId, events);
  } finally {
    events.stop();
  }
}

/** Resolves once an `'error'` event arrives (the realtime connection failed); rejects after `timeoutMs`. */
const nextError = (messenger: Messenger, timeoutMs: number): Promise<unknown> =>
  nextErrorEvent(
    messenger,
    timeoutMs,
    `no 'error' event within ${timeoutMs} ms while every request failed after start()`,
  );

/** How long closed sockets and timers get to go away before the leak check fails, in ms. */
const RELEASE_GRACE_MS = 2_000;

/** Resolves with the first `'message'` matching `predicate`; rejects after `timeoutMs` naming the errors seen. */
const nextMessage = (messenger: Messenger, predicate: (message: Message) => boolean, timeoutMs: number) =>
  nextMessageEvent(
    messenger,
    predicate,
    timeoutMs,
    (errors) =>
      `no 'message' event with the peer's text within ${timeoutMs} ms after start()${
        errors.length ? `; 'error' events: ${errors.join(' | ')}` : ''
      }`,
  );

/**
 * Makes the peer write in the conversation and resolves with its message from a `'message'` event.
 * On a `'stream'` provider (an AI assistant) the peer only ever answers us, so its message is the
 * reply to one we send; elsewhere `peer.send` writes it.
 */
async function peerMessageEvent(
  context: {
    messenger: Messenger;
    peer: ContractCaseContext['peer'];
    capabilities: ContractCaseContext['capabilities'];
    realtimeTimeoutMs: number;
  },
  conversationId: string,
  label: string,
): Promise<Message> {
  const { messenger, peer, capabilities, realtimeTimeoutMs } = context;
  const text = uniqueText(label);
  if (capabilities.realtime === 'stream') {
    const reply = nextMessage(
      messenger,
      (message) => message.conversationId === conversationId && !message.sender.isSelf,
      realtimeTimeoutMs,
    );
    await messenger.send(conversationId, text);
    return reply;
  }
  const received = nextMessage(messenger, (message) => message.text === text, realtimeTimeoutMs);
  await peer.send(conversationId, text);
  return received;
}

/** The realtime group: a peer's message arrives as an event; stopping and closing release everything. */
export const realtimeCases: readonly ContractCase[] = [
  {
    id: 'realtime-delivers-each-once',
    group: 'realtime',
    title:
      "after start(), three peer messages each reach 'message' exactly once (checked until a later marker message has arrived)",
    requires: allOf(withRealtime, realtimeKind('polling', 'websocket', 'webhook')),
    async run(context) {
      const { messenger, peer } = context;
      await whileRecording(context, async (conversationId, events) => {
        const texts = [uniqueText('once 1'), uniqueText('once 2'), uniqueText('once 3')];
        for (const text of texts) {
          const arrived = nextMessage(
            messenger,
            (message) => message.text === text,
            context.realtimeTimeoutMs,
          );
          await peer.send(conversationId, text);
          await arrived;
        }
        // A duplicate delivered later than its original shows before this marker does.
        await peerMessageEvent(context, conversationId, 'marker');
        for (const text of texts) {
          const times = events.messages.filter((message) => message.text === text).length;
          assert.equal(
            times,
            1,
            `the peer's message ${JSON.stringify(text)} reached 'message' ${times} times`,
          );
        }
      });
    },
  },
  {
    id: 'realtime-echoes-own-sends',
    group: 'realtime',
    title: "after start(), a message we send reaches 'message' once, with sender.isSelf true",
    requires: allOf(withRealtime, realtimeKind('polling', 'websocket')),
    async run(context) {
      const { messenger } = context;
      await whileRecording(context, async (conversationId, events) => {
        const text = uniqueText('echo');
        const echoed = nextMessage(messenger, (message) => message.text === text, context.realtimeTimeoutMs);
        const sent = await messenger.send(conversationId, text);
        const echo = await echoed;
        assert.equal(echo.id, sent.id, "our message reached 'message' with another id than send returned");
        assert.equal(
          echo.sender.isSelf,
          true,
          "our own message reached 'message' with sender.isSelf !== true",
        );
        await peerMessageEvent(context, conversationId, 'after echo');
        const times = events.messages.filter((message) => message.text === text).length;
        assert.equal(times, 1, `our message reached 'message' ${times} times`);
      });
    },
  },
  {
    id: 'realtime-stop-stops',
    group: 'realtime',
    title:
      "after stop(), no request is sent and a peer's message reaches no 'message' event (start() again delivers again)",
    requires: allOf(withRealtime, realtimeKind('polling', 'websocket'), withFaults),
    async run(context) {
      const { messenger, peer } = context;
      const faults = faultsOf(context);
      const conversationId = await peer.startConversation();
      await messenger.start();
      const started = performance.now();
      await peerMessageEvent(context, conversationId, 'before stop');
      const deliveryMs = performance.now() - started;
      await messenger.stop();
      const events = recordEvents(messenger);
      try {
        const before = faults.requestCount;
        const text = uniqueText('after stop');
        await peer.send(conversationId, text);
        await new Promise((resolve) => setTimeout(resolve, quietWindow(deliveryMs)));
        const sent = faults.requestCount - before;
        assert.equal(sent, 0, `the adapter sent ${sent} request(s) after stop() (still polling?)`);
        assert.ok(
          !events.messages.some((message) => message.text === text),
          "a peer's message reached 'message' after stop()",
        );
      } finally {
        events.stop();
      }
      await messenger.start();
      await peerMessageEvent(context, conversationId, 'after restart');
    },
  },
  {
    id: 'adapter-close-ends-subscriptions',
    group: 'realtime',
    title:
      'adapter.close() with a subscription still open (no stop() first) ends it: no event delivered after, nothing left running',
    requires: allOf(withRealtime, realtimeKind('polling', 'websocket')),
    tracksResources: true,
    async run(context) {
      const { adapter, peer } = context;
      const conversationId = await peer.startConversation();
      const { firstDelivered, assertNothingAfter } = await subscribeRecordingTexts(
        adapter,
        peer,
        conversationId,
        uniqueText('open subscription'),
        {},
      );
      const deliveryMs = await firstDelivered(context.realtimeTimeoutMs);
      await adapter.close!();
      await assertNothingAfter(
        deliveryMs,
        'after close',
        'the subscription delivered an event after adapter.close()',
      );
      await context.shutdown();
      assert.ok(context.resources, 'resources are tracked for this case');
      const left = await leftoverResources(context.resources, RELEASE_GRACE_MS);
      assert.deepEqual(
        left,
        [],
        `still active after adapter.close() with an open subscription: ${left.join(', ')}`,
      );
    },
  },
  {
    id: 'realtime-close-during-backoff',
    group: 'realtime',
    title:
      "close() while realtime is failing and backing off (every request faulted, an 'error' event seen) resolves, and leaves no request, event, timer or socket behind",
    requires: allOf(withRealtime, realtimeKind('polling'), withFaults),
    tracksResources: true,
    async run(context) {
      const { messenger, peer } = context;
      const faults = faultsOf(context);
      const conversationId = await peer.startConversation();
      await messenger.start();
      await peerMessageEvent(context, conversationId, 'before faults');
      const failing = nextError(messenger, context.realtimeTimeoutMs * 3);
      faults.inject({ fault: { kind: 'status', status: 503 }, times: Number.POSITIVE_INFINITY });
      await failing;
      const events = recordEvents(messenger);
      await messenger.close();
      const before = faults.requestCount;
      await new Promise((resolve) => setTimeout(resolve, 300).unref());
      events.stop();
      assert.equal(
        faults.requestCount - before,
        0,
        'requests were sent after close() (the back-off resumed polling)',
      );
      assert.equal(events.messages.length + events.errors.length, 0, 'events were emitted after close()');
      await context.shutdown();
      assert.ok(context.resources, 'resources are tracked for this case');
      const left = await leftoverResources(context.resources, RELEASE_GRACE_MS);
      assert.deepEqual(left, [], `still active after close() during back-off: ${left.join(', ')}`);
    },
  },
  {
    id: 'realtime-delivers-peer-message',
    group: 'realtime',
    title:
      "after start(), a peer's message (on 'stream' providers: the reply to ours) reaches 'message' within realtimeTimeoutMs, not from self",
    requires: withRealtime,
    async run(context) {
      const conversationId = await context.peer.startConversation();
      await context.messenger.start();
      const message = await peerMessageEvent(context, conversationId, 'realtime');
      assert.equal(message.conversationId, conversationId, 'the event names another conversation');
      assert.equal(message.sender.isSelf, false, "the peer's message has sender.isSelf === true");
    },
  },
  {
    id: 'close-releases-resources',
    group: 'realtime',
    title: 'after stop(), close() and teardown no socket, server or timer is left (the process can exit)',
    tracksResources: true,
    async run(context) {
      const { messenger, peer, capabilities } = context;
      const conversationId = await peer.startConversation();
      await messenger.connect();
      await messenger.send(conversationId, uniqueText('before close'));
      if (realtimeSkipReason(capabilities, context.routeWebhooks !== undefined) === undefined) {
        await messenger.start();
        await peerMessageEvent(context, conversationId, 'while started');
        await messenger.stop();
      }
      await context.shutdown();
      assert.ok(context.resources, 'resources are tracked for this case');
      const left = await leftoverResources(context.resources, RELEASE_GRACE_MS);
      assert.deepEqual(
        left,
        [],
        `still active ${RELEASE_GRACE_MS} ms after close() and teardown: ${left.join(', ')}`,
      );
    },
  },
];
