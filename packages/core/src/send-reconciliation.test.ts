import { describe, expect, it } from 'vitest';
import { capabilitiesWith } from '../test/capabilities-fixture.js';
import { rejection } from '../test/http-test-clients.js';
import { type CapabilitiesInput, defineCapabilities } from './capabilities.js';
import type { ChatAdapter } from './chat-adapter.js';
import {
  NetworkError,
  NotFoundError,
  ProviderUnavailableError,
  SwitchboardError,
  TimeoutError,
} from './errors.js';
import { createMessenger, type MessengerOptions } from './messenger.js';
import type { Message, OutgoingMessage } from './model.js';

const capabilities = capabilitiesWith({
  listMessages: true,
  reactions: true,
  attachments: ['file'],
  maxTextLength: 100,
  sendReconciliation: true,
  pageSize: { min: 1, max: 50, default: 20 },
});

/** What the fake provider does with the next send. */
type Behaviour =
  | 'ok'
  /** Stores the message, then the answer is lost (reset after commit). */
  | 'stored-then-reset'
  /** Answers 500 without storing. */
  | 'lost-500'
  /** Times out without storing (maybe still processing). */
  | 'timeout'
  /** Answers 500 after storing. */
  | 'stored-then-500';

function fakeProvider(declared: Partial<CapabilitiesInput> = {}) {
  const history: Message[] = []; // oldest first
  let next = 0;
  const behaviours: Behaviour[] = [];
  let historyFails = false;
  let historyReads = 0;
  const store = (outgoing: OutgoingMessage, sentAt = new Date()) => {
    const message: Message = {
      id: `m${++next}`,
      conversationId: 'c1',
      provider: 'fake',
      sender: { id: 'me', kind: 'user', isSelf: true },
      text: outgoing.text,
      attachments: (outgoing.attachments ?? []).map((a) => ({ kind: a.kind, name: a.name ?? 'x' })),
      sentAt,
      reactions: [],
      raw: {},
    };
    history.push(message);
    return message;
  };
  const wire = (status?: number) => ({ provider: 'fake', method: 'POST', url: 'http://fake/send', status });
  const adapter: ChatAdapter = {
    specificationVersion: 'v1',
    provider: 'fake',
    capabilities: defineCapabilities({ ...capabilities, ...declared }),
    async sendMessage(_conversationId, outgoing) {
      const behaviour = behaviours.shift() ?? 'ok';
      if (behaviour === 'ok') return store(outgoing);
      if (behaviour === 'stored-then-reset') {
        store(outgoing);
        throw new NetworkError('reset', { ...wire(), outcome: 'unknown' });
      }
      if (behaviour === 'stored-then-500') {
        store(outgoing);
        throw new ProviderUnavailableError('500', { ...wire(500), outcome: 'unknown' });
      }
      if (behaviour === 'timeout') throw new TimeoutError('timeout', { ...wire(), outcome: 'unknown' });
      throw new ProviderUnavailableError('500', { ...wire(500), outcome: 'unknown' });
    },
    async listMessages(_conversationId, params) {
      historyReads += 1;
      if (historyFails) throw new ProviderUnavailableError('history down', { provider: 'fake' });
      const newestFirst = [...history].reverse();
      const start = Number(params.cursor ?? 0);
      const size = params.limit ?? 20;
      const items = newestFirst.slice(start, start + size);
      return start + size < newestFirst.length ? { items, nextCursor: String(start + size) } : { items };
    },
    async addReaction() {
      throw new ProviderUnavailableError('boom', { provider: 'fake', status: 502 });
    },
    async removeReaction() {
      throw new NotFoundError('no such message', { provider: 'fake', status: 404 });
    },
  };
  return {
    adapter,
    history,
    store,
    next: (...list: Behaviour[]) => behaviours.push(...list),
    failHistory: () => {
      historyFails = true;
    },
    get historyReads() {
      return historyReads;
    },
  };
}

const messengerOf = (
  provider: ReturnType<typeof fakeProvider>,
  options: MessengerOptions = { reconcileSettleMs: 0 },
) => createMessenger(provider.adapter, options);

describe('send reconciliation', () => {
  it('found: a send stored before its answer was lost resolves with the stored message', async () => {
    const provider = fakeProvider();
    const messenger = messengerOf(provider);
    provider.next('stored-then-reset', 'stored-then-500');
    const first = await messenger.send('c1', 'hello');
    const second = await messenger.send('c1', {
      text: 'with file',
      attachments: [{ kind: 'file', url: 'https://example.test/a.txt', name: 'a.txt' }],
    });
    expect(first).toMatchObject({ id: 'm1', text: 'hello' });
    expect(second).toMatchObject({ id: 'm2', text: 'with file' });
    expect(provider.history).toHaveLength(2);
    expect(provider.historyReads).toBe(2);
  });

  it('provably absent: a retryable not_applied error, the original as cause', async () => {
    const provider = fakeProvider();
    const messenger = messengerOf(provider);
    provider.next('lost-500');
    const error = await rejection(messenger.send('c1', 'hello'));
    expect(ProviderUnavailableError.isInstance(error)).toBe(true);
    expect(error.outcome).toBe('not_applied');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/not sent/);
    expect(SwitchboardError.isInstance(error.cause)).toBe(true);
    expect((error.cause as SwitchboardError).outcome).toBe('unknown');
    expect(error.toJSON()).toMatchObject({ outcome: 'not_applied', cause: { outcome: 'unknown' } });
    // The app retries, as docs/errors.md says: exactly one copy.
    await messenger.send('c1', 'hello');
    expect(provider.history.map((m) => m.text)).toEqual(['hello']);
  });

  it('never returns a message an earlier send already returned (same text twice)', async () => {
    const provider = fakeProvider();
    const messenger = messengerOf(provider);
    await messenger.send('c1', 'ok');
    provider.next('lost-500');
    const error = await rejection(messenger.send('c1', 'ok'));
    expect(error.outcome).toBe('not_applied');
    expect(provider.history).toHaveLength(1);
  });

  it('ignores an identical message from before the attempt (minus the clock-skew tolerance)', async () => {
    const provider = fakeProvider();
    provider.store({ text: 'hello' }, new Date(Date.now() - 120_000));
    const messenger = messengerOf(provider, { reconcileSettleMs: 0, reconcileClockSkewMs: 5_000 });
    provider.next('lost-500');
    const error = await rejection(messenger.send('c1', 'hello'));
    expect(error.outcome).toBe('not_applied');
  });

  it('unknown stays unknown: history unreadable, or a timeout whose request may still be processing', async () => {
    const provider = fakeProvider();
    const messenger = messengerOf(provider);
    provider.next('timeout');
    const timedOut = await rejection(messenger.send('c1', 'hello'));
    expect([timedOut.code, timedOut.outcome, timedOut.retryable]).toEqual(['timeout', 'unknown', false]);
    provider.failHistory();
    provider.next('lost-500');
    const unreadable = await rejection(messenger.send('c1', 'hello'));
    expect([unreadable.code, unreadable.outcome, unreadable.retryable]).toEqual([
      'provider_unavailable',
      'unknown',
      false,
    ]);
  });

  it('a window the pages read do not reach back to stays unknown', async () => {
    const provider = fakeProvider();
    // 200 newer messages of our own: 3 pages of 20 do not reach back to the attempt's start.
    const messenger = messengerOf(provider);
    const original = provider.adapter.sendMessage.bind(provider.adapter);
    provider.adapter.sendMessage = async (conversationId, outgoing, options) => {
      if (outgoing.text !== 'target') return original(conversationId, outgoing, options);
      for (let i = 0; i < 200; i += 1) provider.store({ text: `other ${i}` });
      throw new ProviderUnavailableError('500', { provider: 'fake', status: 500, outcome: 'unknown' });
    };
    const error = await rejection(messenger.send('c1', 'target'));
    expect(error.outcome).toBe('unknown');
  });

  it('a message whose send returned before the attempt bounds the search; a concurrent one does not', async () => {
    const provider = fakeProvider();
    const messenger = messengerOf(provider);
    // Many messages of ours, then an ambiguous send lost before storing: the boundary (the last
    // message whose send returned before the attempt) proves absence without reading 3 full pages.
    for (let i = 0; i < 120; i += 1) await messenger.send('c1', `filler ${i}`);
    provider.next('lost-500');
    const absent = await rejection(messenger.send('c1', 'target'));
    expect([absent.outcome, absent.retryable]).toEqual(['not_applied', true]);

    // A send still in flight when ours started is not a boundary: our message stored before it is found.
    const original = provider.adapter.sendMessage.bind(provider.adapter);
    let releaseSlow!: () => void;
    provider.adapter.sendMessage = async (conversationId, outgoing, options) => {
      if (outgoing.text === 'slow') {
        await new Promise<void>((resolve) => {
          releaseSlow = resolve;
        });
        return original(conversationId, outgoing, options);
      }
      if (outgoing.text === 'ours') {
        provider.store(outgoing); // stored, then the answer is lost
        throw new NetworkError('reset', { provider: 'fake', outcome: 'unknown' });
      }
      return original(conversationId, outgoing, options);
    };
    // Reconciliation reads history 30 ms after the dropped connection: 'slow' has returned by then.
    const settling = messengerOf(provider, { reconcileSettleMs: 30 });
    const slow = settling.send('c1', 'slow');
    const ours = settling.send('c1', 'ours');
    // Let 'ours' be stored first, then 'slow' complete (newer in history) before reconciliation reads.
    await new Promise((resolve) => setTimeout(resolve, 5));
    releaseSlow();
    await slow;
    await expect(ours).resolves.toMatchObject({ text: 'ours' });
  });

  it('is off with reconcileSends: false, and where the adapter does not declare it', async () => {
    for (const [provider, options] of [
      [fakeProvider(), { reconcileSends: false }],
      [fakeProvider({ sendReconciliation: false }), {}],
    ] as const) {
      provider.next('stored-then-reset');
      const error = await rejection(createMessenger(provider.adapter, options).send('c1', 'hello'));
      expect([error.code, error.outcome]).toEqual(['network', 'unknown']);
      expect(provider.historyReads).toBe(0);
    }
  });
});

describe('outcome on every error of a non-idempotent call', () => {
  it('local validation is not_applied; an adapter error without outcome gets one from its code', async () => {
    const messenger = messengerOf(fakeProvider());
    const invalid = await rejection(messenger.send('c1', ''));
    expect([invalid.code, invalid.outcome]).toEqual(['invalid_request', 'not_applied']);
    const unsupported = await rejection(messenger.edit('c1', 'm1', 'x'));
    expect([unsupported.code, unsupported.outcome]).toEqual(['unsupported_operation', 'not_applied']);
    const failed = await rejection(messenger.react('c1', 'm1', '👍'));
    expect([failed.code, failed.outcome, failed.retryable]).toEqual([
      'provider_unavailable',
      'unknown',
      false,
    ]);
    const missing = await rejection(messenger.unreact('c1', 'm1', '👍'));
    expect([missing.code, missing.outcome]).toEqual(['not_found', 'not_applied']);
  });
});
