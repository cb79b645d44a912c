import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { everythingDeclared } from '../test/capabilities-fixture.js';
import { type CapabilitiesInput, defineCapabilities } from './capabilities.js';
import type { ChatAdapter, StreamedReply } from './chat-adapter.js';
import { InvalidRequestError, SwitchboardError, UnsupportedOperationError } from './errors.js';
import { createMessenger, type Messenger } from './messenger.js';
import type { Conversation, Message } from './model.js';
import { countGraphemes, encodePathSegment, normalizeOutgoing } from './validation.js';

/**
 * Input hardening: every public Messenger call rejects only with a `SwitchboardError` (or the
 * caller's own abort reason), never a raw `TypeError`, never synchronously, and never after
 * calling the adapter; any input is judged quickly.
 */

/**
 * A bound that only catches event-loop stalls (the bug this guards against took seconds to minutes
 * per call), never a slow machine: a GC pause on a loaded 2-core CI box took 265 ms once. The real
 * figure (< 10 ms per call) is measured by `bench/src/validation-timing.ts`, not asserted here.
 */
const CALL_BOUND_MS = 2_000;

const everything: CapabilitiesInput = { ...everythingDeclared, openConversation: 'group' };

const message: Message = {
  id: 'm1',
  conversationId: 'c1',
  provider: 'counting',
  sender: { id: 'me', kind: 'user', isSelf: true },
  text: 'hi',
  attachments: [],
  sentAt: new Date(0),
  reactions: [],
  raw: {},
};
const conversation: Conversation = {
  id: 'c1',
  provider: 'counting',
  kind: 'direct',
  participants: [],
  raw: {},
};

/** An adapter implementing everything, counting the calls that reach it. */
function countingAdapter(capabilities: Partial<CapabilitiesInput> = {}) {
  const counter = { calls: 0 };
  const count = <T>(value: T) => {
    counter.calls += 1;
    return Promise.resolve(value);
  };
  const adapter: ChatAdapter = {
    specificationVersion: 'v1',
    provider: 'counting',
    capabilities: defineCapabilities({ ...everything, ...capabilities }),
    connect: () => count({ id: 'me', kind: 'user', isSelf: true }),
    listConversations: () => count({ items: [conversation] }),
    getConversation: () => count(conversation),
    openConversation: () => count(conversation),
    deleteConversation: () => count(undefined),
    muteConversation: () => count(conversation),
    listMessages: () => count({ items: [message] }),
    getMessage: () => count(message),
    sendMessage: () => count(message),
    streamReply: () =>
      count<StreamedReply>({
        chunks: (async function* () {})(),
        reply: Promise.resolve(message),
        userMessage: Promise.resolve(message),
      }),
    editMessage: () => count(message),
    deleteMessage: () => count(undefined),
    markRead: () => count(undefined),
    addReaction: () => count(undefined),
    removeReaction: () => count(undefined),
    subscribe: () => count({ close: async () => undefined }),
    handleWebhook: () => count({ status: 200, events: [] }),
    close: () => count(undefined),
  };
  return { adapter, counter };
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Calls `method` with `args`: a synchronous throw is a failure of its own; an async iterable is
 * consumed for one item (its first `next()` is where bad input must reject).
 */
async function call(messenger: Messenger, method: string, args: unknown[]): Promise<Outcome> {
  let result: unknown;
  try {
    result = (messenger as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!(...args);
  } catch (error) {
    throw new Error(`${method} threw synchronously: ${String(error)}`);
  }
  try {
    if (method === 'conversations' || method === 'messages') {
      const iterator = (result as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      return { ok: true, value: await iterator.next() };
    }
    return { ok: true, value: await result };
  } catch (error) {
    return { ok: false, error };
  }
}

const abortReason = new Error('the caller aborted');
const aborted = () => {
  const controller = new AbortController();
  controller.abort(abortReason);
  return controller.signal;
};

const huge = 'a'.repeat(1_000_000);
const junkString = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    ' c1',
    'c1 ',
    'c\u0000',
    '.',
    '..',
    huge,
    '👍',
    '👍'.repeat(500_000),
    `a${'\u0301'.repeat(1_000_000)}`,
  ),
);
const junkOptions = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    'x',
    5,
    [],
    { signal: 'x' },
    { signal: {} },
    { signal: null },
    { signal: { aborted: false } },
    { providerOptions: 5 },
    { providerOptions: { x: null } },
    { limit: 0 },
    { limit: '5' },
    { limit: 1e9 },
  ),
  fc.constant(null).map(() => ({ signal: aborted() })),
  fc.anything(),
);
const junkMessage = fc.oneof(
  junkString,
  fc.constantFrom(
    { text: 'hi', attachments: 5 },
    { text: 'hi', attachments: [null] },
    { text: 'hi', attachments: [{ kind: 'image', url: 5 }] },
    { text: 'hi', attachments: [{ kind: 'video', url: 'https://x.test/a' }] },
    { text: 'hi', attachments: [{ kind: 'image', url: 'https://x.test/a', name: 5 }] },
    { text: 'hi', attachments: [Object.create(null)] },
    { text: 'hi', replyToId: 5 },
    { text: huge },
    { text: 5 },
    null,
  ),
  fc.record({ text: junkString, attachments: fc.anything(), replyToId: fc.anything() }, { requiredKeys: [] }),
  fc.anything(),
);
const junk = fc.oneof(junkString, junkOptions, junkMessage, fc.anything());

/** For each public method: arbitrary arguments, biased towards the shapes it takes. */
const argumentsOf: Record<string, fc.Arbitrary<unknown[]>> = {
  connect: fc.tuple(junkOptions),
  conversations: fc.tuple(junkOptions),
  messages: fc.tuple(junkString, junkOptions),
  listConversations: fc.tuple(junkOptions, junkOptions),
  listMessages: fc.tuple(junkString, junkOptions, junkOptions),
  getConversation: fc.tuple(junkString, junkOptions),
  getMessage: fc.tuple(junkString, junkString, junkOptions),
  openConversation: fc.tuple(
    fc.oneof(
      fc.record({ participants: fc.array(junkString), title: fc.anything() }, { requiredKeys: [] }),
      junk,
    ),
    junkOptions,
  ),
  deleteConversation: fc.tuple(junkString, junkOptions),
  muteConversation: fc.tuple(junkString, junkOptions),
  unmuteConversation: fc.tuple(junkString, junkOptions),
  send: fc.tuple(junkString, junkMessage, junkOptions),
  sendStreaming: fc.tuple(junkString, junkMessage, junkOptions),
  edit: fc.tuple(junkString, junkString, junkMessage, junkOptions),
  deleteMessage: fc.tuple(junkString, junkString, junkOptions),
  markRead: fc.tuple(junkString, fc.oneof(junkString, fc.constant(undefined), fc.anything()), junkOptions),
  react: fc.tuple(junkString, junkString, junkString, junkOptions),
  unreact: fc.tuple(junkString, junkString, junkString, junkOptions),
  handleWebhook: fc.tuple(
    fc.oneof(
      junk,
      fc.constant(null).map(() => new Request('http://127.0.0.1/hook')),
    ),
  ),
  supports: fc.tuple(junk),
};

describe('Messenger input hardening', () => {
  it('fuzzes every method: only SwitchboardError (or the abort reason), never sync, no adapter call on rejection, bounded time', async () => {
    const methods = Object.keys(argumentsOf);
    const arbitrary = fc.oneof(
      ...methods.map((method) => argumentsOf[method]!.map((args) => ({ method, args }))),
    );
    const { adapter, counter } = countingAdapter();
    const messenger = createMessenger(adapter);
    const slowest = { ms: 0, method: '' };
    let rejections = 0;
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ method, args }) => {
        if (method === 'supports') {
          expect(typeof messenger.supports(args[0] as never)).toBe('boolean');
          return;
        }
        const before = counter.calls;
        const started = performance.now();
        const outcome = await call(messenger, method, args);
        const elapsed = performance.now() - started;
        if (elapsed > slowest.ms) Object.assign(slowest, { ms: elapsed, method });
        expect(elapsed, `${method} took ${elapsed.toFixed(1)} ms`).toBeLessThan(CALL_BOUND_MS);
        if (outcome.ok) return;
        rejections += 1;
        const { error } = outcome;
        if (error !== abortReason) {
          expect(SwitchboardError.isInstance(error), `${method} rejected with ${String(error)}`).toBe(true);
        }
        expect(counter.calls, `${method} called the adapter and then rejected`).toBe(before);
      }),
      { numRuns: 2_000 },
    );
    // The property must have exercised the rejection path, not only happy calls.
    expect(rejections).toBeGreaterThan(200);
    console.log(`slowest call: ${slowest.method} ${slowest.ms.toFixed(2)} ms`);
  }, 120_000);

  it('rejects the shapes independent testing found raw TypeErrors for, with InvalidRequestError', async () => {
    const { adapter, counter } = countingAdapter();
    const messenger = createMessenger(adapter);
    const invalid = async (method: string, args: unknown[]) => {
      const outcome = await call(messenger, method, args);
      expect(outcome.ok, `${method}(${args.map((a) => JSON.stringify(a)).join(', ')}) resolved`).toBe(false);
      const error = (outcome as { error: unknown }).error;
      expect(InvalidRequestError.isInstance(error), `${method}: ${String(error)}`).toBe(true);
    };
    for (const options of [{ signal: 'x' }, { signal: {} }, 'x', null]) {
      await invalid('connect', [options]);
      await invalid('conversations', [options]);
      await invalid('messages', ['c1', options]);
      await invalid('listConversations', [{}, options]);
      await invalid('listMessages', ['c1', {}, options]);
      await invalid('getConversation', ['c1', options]);
      await invalid('getMessage', ['c1', 'm1', options]);
      await invalid('openConversation', [{ participants: ['p1'] }, options]);
      await invalid('deleteConversation', ['c1', options]);
      await invalid('muteConversation', ['c1', options]);
      await invalid('unmuteConversation', ['c1', options]);
      await invalid('send', ['c1', 'hi', options]);
      await invalid('sendStreaming', ['c1', 'hi', options]);
      await invalid('edit', ['c1', 'm1', 'hi', options]);
      await invalid('deleteMessage', ['c1', 'm1', options]);
      await invalid('markRead', ['c1', undefined, options]);
      await invalid('react', ['c1', 'm1', '👍', options]);
      await invalid('unreact', ['c1', 'm1', '👍', options]);
    }
    await invalid('send', ['c1', { text: 'hi', attachments: 5 }]);
    await invalid('send', ['c1', { text: 'hi', attachments: [null] }]);
    await invalid('listMessages', ['c1', null]);
    await invalid('listConversations', [null]);
    await invalid('handleWebhook', [{}]);
    expect(counter.calls).toBe(0);
  });

  it('conversations(null) and messages(id, null) do not throw synchronously: they reject on the first next()', async () => {
    const { adapter, counter } = countingAdapter();
    const messenger = createMessenger(adapter);
    const conversations = messenger.conversations(null as never);
    const messages = messenger.messages('c1', null as never);
    await expect(conversations[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(messages[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(InvalidRequestError);
    expect(counter.calls).toBe(0);
  });

  it("an already-aborted signal rejects with the caller's own reason, before the adapter is called", async () => {
    const { adapter, counter } = countingAdapter();
    const messenger = createMessenger(adapter);
    await expect(messenger.send('c1', 'hi', { signal: aborted() })).rejects.toBe(abortReason);
    await expect(messenger.getConversation('c1', { signal: aborted() })).rejects.toBe(abortReason);
    expect(counter.calls).toBe(0);
    // A live signal goes through.
    await messenger.send('c1', 'hi', { signal: new AbortController().signal });
    expect(counter.calls).toBe(1);
  });

  it('refuses a 1,000,000-character text or reaction quickly, whatever it is made of', async () => {
    const { adapter, counter } = countingAdapter();
    const messenger = createMessenger(adapter);
    const texts = [
      huge,
      '👍🏽'.repeat(250_000),
      '👨‍👩‍👧‍👦'.repeat(100_000),
      `a${'\u0301'.repeat(1_000_000)}`,
      ' '.repeat(1_000_000),
    ];
    for (const text of texts) {
      const started = performance.now();
      await expect(messenger.send('c1', text)).rejects.toBeInstanceOf(InvalidRequestError);
      expect(performance.now() - started).toBeLessThan(CALL_BOUND_MS);
    }
    expect(counter.calls).toBe(0);
    // Core has no reaction length rule (each adapter checks its own: Bluesky's 64 bytes); judging is quick.
    for (const value of [huge, ` ${huge}`, ' '.repeat(1_000_000)]) {
      const started = performance.now();
      await messenger
        .react('c1', 'm1', value)
        .catch((error) => expect(InvalidRequestError.isInstance(error)).toBe(true));
      expect(performance.now() - started).toBeLessThan(CALL_BOUND_MS);
    }
  });

  it('still counts graphemes exactly at the limit (the cheap bounds never change the answer)', () => {
    const capabilities = defineCapabilities({ ...everything, maxTextLength: 10 });
    const property = fc.property(
      fc.array(fc.constantFrom('a', 'é', 'e\u0301', '👍🏽', '👨‍👩‍👧‍👦', '🇫🇷', '한', '\r\n'), {
        maxLength: 20,
      }),
      (parts) => {
        const text = `x${parts.join('')}`;
        const fits = countGraphemes(text) <= 10;
        let accepted = true;
        try {
          normalizeOutgoing(text, capabilities);
        } catch (error) {
          expect(InvalidRequestError.isInstance(error)).toBe(true);
          accepted = false;
        }
        expect(accepted).toBe(fits);
      },
    );
    fc.assert(property, { numRuns: 500 });
  });

  it('supports() is false for names that are not capabilities', () => {
    const messenger = createMessenger(countingAdapter().adapter);
    for (const name of ['nonsense', null, undefined, 5, {}])
      expect(messenger.supports(name as never)).toBe(false);
    expect(messenger.supports('reactions')).toBe(true);
  });

  it('an attachment kind the manifest leaves out is still UnsupportedOperationError', async () => {
    const { adapter } = countingAdapter({ attachments: [] });
    const messenger = createMessenger(adapter);
    await expect(
      messenger.send('c1', { text: 'hi', attachments: [{ kind: 'image', url: 'https://x.test/a.png' }] }),
    ).rejects.toBeInstanceOf(UnsupportedOperationError);
  });
});

describe('encodePathSegment', () => {
  it('keeps any id inside one URL path segment, and refuses the ones no URL can carry', () => {
    const base = 'https://api.example.test/v3/conversations/messages/';
    for (const id of ['abc', 'a/b', 'a/../b', '?x=1', '#frag', '%2e%2e', 'é日本', '...', '.a']) {
      const url = new URL(`${base}${encodePathSegment(id)}`);
      expect(url.pathname.startsWith('/v3/conversations/messages/')).toBe(true);
      expect(decodeURIComponent(url.pathname.slice('/v3/conversations/messages/'.length))).toBe(id);
      expect(url.search).toBe('');
      expect(url.hash).toBe('');
    }
    for (const id of ['', '.', '..']) {
      expect(() => encodePathSegment(id, 'messageId', 'brevo')).toThrowError(InvalidRequestError);
    }
  });
});
