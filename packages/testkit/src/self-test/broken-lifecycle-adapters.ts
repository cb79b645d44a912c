import { NetworkError, type Subscription } from '@switchboard/core';
import type { BrokenVariant } from './broken-memory-adapters.js';
import { wrapReference } from './reference-adapter-wrappers.js';

/**
 * The lifecycle bugs (contract-cases/lifecycle-cases.ts), each a wrapper around the healthy reference
 * adapter, so the bug is the only difference.
 */
export const lifecycleBrokenVariants: readonly BrokenVariant[] = [
  {
    name: "stops on the caller's signal but never removes that 'abort' listener",
    factory: (options) =>
      wrapReference(options, (reference) => ({
        async subscribe(sink, { signal, ...rest } = {}) {
          const subscription = await reference.subscribe!(sink, rest);
          signal?.addEventListener('abort', () => void subscription.close(), { once: true });
          return subscription;
        },
      })),
    caughtBy: 'realtime-subscription-releases-signal',
    failure: /subscription\.close\(\) left 1 'abort' listener\(s\) on the caller's signal/,
  },
  {
    name: 'parks realtime for 60 s after any failed poll',
    factory: (options) =>
      wrapReference(options, (reference) => ({
        async subscribe(sink, { signal, onError } = {}) {
          let current: Subscription | undefined;
          let timer: ReturnType<typeof setTimeout> | undefined;
          let closed = false;
          const open = async () => {
            current = await reference.subscribe!(sink, {
              onError: (error) => {
                onError?.(error);
                const failed = current;
                current = undefined;
                void failed?.close();
                clearTimeout(timer);
                timer = setTimeout(() => {
                  if (!closed) open().catch(() => undefined);
                }, 60_000);
              },
            });
          };
          await open();
          const close = async () => {
            closed = true;
            clearTimeout(timer);
            await current?.close();
          };
          signal?.addEventListener('abort', () => void close(), { once: true });
          return { close };
        },
      })),
    caughtBy: 'realtime-resumes-after-outage',
    failure: /after the outage ended .*: no 'message' event within 12000 ms/,
    options: { realtimeTimeoutMs: 2_000 },
  },
  {
    name: 'ignores the signal given to subscribe() (only close() stops it)',
    factory: (options) =>
      wrapReference(options, (reference) => ({
        subscribe: (sink, { signal: _ignored, ...rest } = {}) => reference.subscribe!(sink, rest),
      })),
    caughtBy: 'realtime-subscribe-signal-stops',
    failure: /reached the sink after the subscription's signal was aborted/,
  },
  {
    name: "reports the abort of its own poll at stop() as an 'error'",
    factory: (options) =>
      wrapReference(options, (reference) => ({
        async subscribe(sink, subscribeOptions = {}) {
          const subscription = await reference.subscribe!(sink, subscribeOptions);
          subscribeOptions.signal?.addEventListener(
            'abort',
            () =>
              subscribeOptions.onError?.(
                new NetworkError('memory: the poll was aborted', { provider: 'memory' }),
              ),
            { once: true },
          );
          return subscription;
        },
      })),
    caughtBy: 'realtime-stop-is-quiet',
    failure: /stop\(\)\/close\(\) emitted 'error' events/,
  },
  {
    name: 'breaks down at the first failed poll when subscribe() was given no onError',
    factory: (options) =>
      wrapReference(options, (reference) => ({
        async subscribe(sink, subscribeOptions = {}) {
          let crashed: unknown;
          const subscription = await reference.subscribe!(sink, {
            ...subscribeOptions,
            onError: (error) => {
              if (subscribeOptions.onError) subscribeOptions.onError(error);
              else crashed ??= new TypeError('onError is not a function');
            },
          });
          return {
            async close() {
              await subscription.close();
              if (crashed) throw crashed;
            },
          };
        },
      })),
    caughtBy: 'realtime-without-on-error',
    failure: /onError is not a function/,
  },
];

/** `markRead(conversationId, messageId)` bugs the mark-read case catches through the backend's read markers. */
export const readMarkerBrokenVariants: readonly BrokenVariant[] = [
  {
    name: 'drops the messageId of markRead (marks the whole conversation read)',
    factory: (options) =>
      wrapReference(options, (reference) => ({
        markRead: (conversationId, _messageId, callOptions) =>
          reference.markRead!(conversationId, undefined, callOptions),
      })),
    caughtBy: 'mark-read',
    failure: /after markRead up to the peer's 2nd message, the 3rd is read too/,
  },
];
