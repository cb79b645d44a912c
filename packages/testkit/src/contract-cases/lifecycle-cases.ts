import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { type Message, type Messenger, SwitchboardError } from '@switchboard/core';
import type { ContractCase } from '../contract-case.js';
import { describeThrown } from './contract-assert.js';
import { nextErrorEvent, nextMessageEvent, subscribeRecordingTexts, uniqueText } from './fixtures.js';
import { faultsOf } from './requests.js';
import { allOf, realtimeKind, withFaults, withRealtime } from './requirements.js';

/**
 * How much longer than `realtimeTimeoutMs` realtime may take to deliver again once one failed poll is
 * over, in ms: room for the first back-off pause, which a back-off that grows from a short first step
 * stays well under (the reference waits 0.5–1 s; an adapter that parks for 30 s after any failure does not).
 */
export const RESUME_ALLOWANCE_MS = 10_000;

/** Resolves with the first `'message'` matching `predicate`, or rejects after `timeoutMs` naming the errors seen. */
const nextMessage = (
  messenger: Messenger,
  predicate: (message: Message) => boolean,
  timeoutMs: number,
  what: string,
): Promise<Message> =>
  nextMessageEvent(messenger, predicate, timeoutMs, (errors) => {
    const seen = errors.length ? `; 'error' events: ${errors.slice(0, 3).join(' | ')}` : '';
    return `${what}: no 'message' event within ${timeoutMs} ms${seen}`;
  });

/** Resolves at the next `'error'` event; rejects after `timeoutMs`. */
const nextError = (messenger: Messenger, timeoutMs: number, what: string): Promise<unknown> =>
  nextErrorEvent(messenger, timeoutMs, `${what}: no 'error' event within ${timeoutMs} ms`);

/** Waits until `condition()` holds, checking every 20 ms; `false` when `timeoutMs` passed first. */
async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** How many `'abort'` listeners `signal` holds (Node's `events.getEventListeners`). */
const abortListeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

/**
 * The lifecycle cases: what a subscription leaves behind on the caller's `AbortSignal`, and that
 * realtime comes back after a failed poll. Both are bugs the other realtime cases cannot see (the
 * Messenger aborts and drops its own signal at `stop()`, and no other case lets an outage end).
 */
export const lifecycleCases: readonly ContractCase[] = [
  {
    id: 'realtime-subscription-releases-signal',
    group: 'realtime',
    title:
      "adapter.subscribe(sink, { signal }) leaves no 'abort' listener on the caller's signal once the subscription is closed, or once subscribe() rejected (faults: every request failing; without a signal that rejection is still a SwitchboardError)",
    requires: allOf(withRealtime, realtimeKind('polling', 'websocket')),
    async run(context) {
      const { adapter } = context;
      await context.messenger.connect();
      // A caller's long-lived signal (an app's shutdown signal): every subscription on it that is
      // closed must let go of it, or each one leaks a listener (and Node warns past 10).
      const shutdown = new AbortController();
      const subscription = await adapter.subscribe!(() => {}, { signal: shutdown.signal });
      await subscription.close();
      const left = abortListeners(shutdown.signal);
      assert.equal(
        left,
        0,
        `subscription.close() left ${left} 'abort' listener(s) on the caller's signal (one more leaks with every subscription)`,
      );
      if (!context.faults) return;
      const failing = context.faults.inject({ fault: { kind: 'status', status: 503 }, times: Infinity });
      try {
        const attempt = await adapter.subscribe!(() => {}, {
          signal: shutdown.signal,
          onError: () => {},
        }).then(
          (opened) => opened,
          () => undefined,
        );
        // An adapter that resolves anyway (and retries in the background) is closed like any other.
        await attempt?.close();
        // Without a signal the same failure must still surface as what it is (not a TypeError).
        const unsignalled = await adapter.subscribe!(() => {}, { onError: () => {} }).then(
          (opened) => ({ opened }),
          (error: unknown) => ({ error }),
        );
        if ('error' in unsignalled)
          assert.ok(
            SwitchboardError.isInstance(unsignalled.error),
            `subscribe() without a signal, under 503s, rejected with ${describeThrown(unsignalled.error)}, not a SwitchboardError`,
          );
        else await unsignalled.opened.close();
      } finally {
        failing.remove();
      }
      const afterFailure = abortListeners(shutdown.signal);
      assert.equal(
        afterFailure,
        0,
        `a subscribe() whose requests failed left ${afterFailure} 'abort' listener(s) on the caller's signal`,
      );
    },
  },
  {
    id: 'realtime-resumes-after-outage',
    group: 'realtime',
    title: `after polls failed (503s, an 'error' event seen) and the backend is back, a peer's message reaches 'message' within realtimeTimeoutMs + ${RESUME_ALLOWANCE_MS} ms`,
    requires: allOf(withRealtime, realtimeKind('polling'), withFaults),
    async run(context) {
      const { messenger, peer, realtimeTimeoutMs } = context;
      const faults = faultsOf(context);
      const conversationId = await peer.startConversation();
      await messenger.start();
      const first = uniqueText('before outage');
      const before = nextMessage(messenger, (m) => m.text === first, realtimeTimeoutMs, 'before the outage');
      await peer.send(conversationId, first);
      await before;
      const failed = nextError(messenger, realtimeTimeoutMs * 3, 'while every request failed');
      const outage = faults.inject({ fault: { kind: 'status', status: 503 }, times: Infinity });
      try {
        await failed;
      } finally {
        outage.remove();
      }
      const text = uniqueText('after outage');
      const resumed = nextMessage(
        messenger,
        (m) => m.text === text,
        realtimeTimeoutMs + RESUME_ALLOWANCE_MS,
        'after the outage ended (realtime never resumed, or only after a long back-off)',
      );
      await peer.send(conversationId, text);
      await resumed;
    },
  },
  {
    id: 'realtime-subscribe-signal-stops',
    group: 'realtime',
    title:
      "aborting the signal given to adapter.subscribe() stops the subscription (as close() does): a peer's message after the abort reaches no sink",
    requires: allOf(withRealtime, realtimeKind('polling', 'websocket')),
    async run(context) {
      const { adapter, peer, realtimeTimeoutMs } = context;
      const conversationId = await peer.startConversation();
      const controller = new AbortController();
      const { subscription, firstDelivered, assertNothingAfter } = await subscribeRecordingTexts(
        adapter,
        peer,
        conversationId,
        uniqueText('before abort'),
        { signal: controller.signal, onError: () => {} },
      );
      try {
        const deliveryMs = await firstDelivered(realtimeTimeoutMs);
        controller.abort();
        await assertNothingAfter(
          deliveryMs,
          'after abort',
          "a peer's message reached the sink after the subscription's signal was aborted (the signal is ignored?)",
        );
      } finally {
        await subscription.close();
      }
    },
  },
  {
    id: 'realtime-stop-is-quiet',
    group: 'realtime',
    title:
      "stop() while realtime is live (a poll or socket open) emits no 'error' event: aborting our own request is not a failure",
    requires: allOf(withRealtime, realtimeKind('polling', 'websocket')),
    async run(context) {
      const { messenger, peer, realtimeTimeoutMs } = context;
      const conversationId = await peer.startConversation();
      await messenger.start();
      const text = uniqueText('live');
      const received = nextMessage(messenger, (m) => m.text === text, realtimeTimeoutMs, 'while started');
      await peer.send(conversationId, text);
      await received;
      const errors: string[] = [];
      const onError = (error: unknown) => errors.push(describeThrown(error));
      messenger.on('error', onError);
      try {
        await messenger.stop();
        await messenger.close();
      } finally {
        messenger.off('error', onError);
      }
      assert.deepEqual(errors, [], "stop()/close() emitted 'error' events");
    },
  },
  {
    id: 'realtime-without-on-error',
    group: 'realtime',
    title:
      'adapter.subscribe(sink) with no onError keeps going through failed polls (faults: 503s): no crash, no unhandled rejection, close() resolves',
    requires: allOf(withRealtime, realtimeKind('polling'), withFaults),
    async run(context) {
      const { adapter } = context;
      const faults = faultsOf(context);
      await context.messenger.connect();
      const subscription = await adapter.subscribe!(() => {});
      const outage = faults.inject({ fault: { kind: 'status', status: 503 }, times: Infinity });
      // Two failed polls' worth of requests (with up to two retries each): the loop saw a failure.
      const failed = await until(() => outage.hits >= 6, context.realtimeTimeoutMs * 3);
      outage.remove();
      await subscription.close();
      if (!failed)
        context.notChecked(`fewer than 6 requests hit the 503 fault (${outage.hits}): no failed poll seen`);
    },
  },
];
