import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import type { Message, Messenger } from '@switchboard/core';
import type { ContractCase } from '../contract-case.js';
import { describeThrown } from './contract-assert.js';
import { uniqueText } from './fixtures.js';
import { faultsOf } from './requests.js';
import { allOf, realtimeKind, withFaults, withRealtime } from './requirements.js';

/**
 * How much longer than `realtimeTimeoutMs` realtime may take to deliver again once one failed poll is
 * over, in ms: room for the first back-off pause, which a back-off that grows from a short first step
 * stays well under (the reference waits 0.5–1 s; an adapter that parks for 30 s after any failure does not).
 */
export const RESUME_ALLOWANCE_MS = 10_000;

/** Resolves with the first `'message'` matching `predicate`, or rejects after `timeoutMs` naming the errors seen. */
function nextMessage(
  messenger: Messenger,
  predicate: (message: Message) => boolean,
  timeoutMs: number,
  what: string,
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
      const seen = errors.length ? `; 'error' events: ${errors.slice(0, 3).join(' | ')}` : '';
      reject(
        new assert.AssertionError({ message: `${what}: no 'message' event within ${timeoutMs} ms${seen}` }),
      );
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

/** Resolves at the next `'error'` event; rejects after `timeoutMs`. */
function nextError(messenger: Messenger, timeoutMs: number, what: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onError = (error: unknown) => {
      clearTimeout(timer);
      resolve(error);
    };
    const timer = setTimeout(() => {
      messenger.off('error', onError);
      reject(new assert.AssertionError({ message: `${what}: no 'error' event within ${timeoutMs} ms` }));
    }, timeoutMs);
    messenger.once('error', onError);
  });
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
      "adapter.subscribe(sink, { signal }) leaves no 'abort' listener on the caller's signal once the subscription is closed, or once subscribe() rejected (faults: every request failing)",
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
];
