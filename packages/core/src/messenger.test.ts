import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { nothingDeclared, ownMessage } from '../test/capabilities-fixture.js';
import { type CapabilitiesInput, defineCapabilities } from './capabilities.js';
import type { ChatAdapter, EventSink } from './chat-adapter.js';
import { InvalidRequestError, InvalidResponseError, UnsupportedOperationError } from './errors.js';
import { createMessenger } from './messenger.js';
import type { Message, Page } from './model.js';

const baseCapabilities: CapabilitiesInput = {
  ...nothingDeclared,
  listConversations: true,
  openConversation: 'direct',
  listMessages: true,
  realtime: 'polling',
  pageSize: { min: 1, max: 100, default: 50 },
};

const message = (id: string, text = id): Message => ownMessage(id, { text });

function fakeAdapter(overrides: Partial<ChatAdapter> = {}, capabilities: Partial<CapabilitiesInput> = {}) {
  const calls: string[] = [];
  let sink: EventSink | undefined;
  const adapter: ChatAdapter = {
    specificationVersion: 'v1',
    provider: 'fake',
    capabilities: defineCapabilities({ ...baseCapabilities, ...capabilities }),
    async sendMessage(_conversationId, outgoing) {
      calls.push('sendMessage');
      return message('m1', outgoing.text);
    },
    async listMessages(_conversationId, params): Promise<Page<Message>> {
      calls.push(`listMessages:${params.cursor ?? ''}`);
      const start = Number(params.cursor ?? 0);
      const items = Array.from({ length: Math.min(3, 7 - start) }, (_, i) => message(`m${start + i}`));
      return start + 3 < 7 ? { items, nextCursor: String(start + 3) } : { items };
    },
    async subscribe(s) {
      calls.push('subscribe');
      sink = s;
      return {
        close: async () => {
          calls.push('close-subscription');
        },
      };
    },
    ...overrides,
  };
  return { adapter, calls, emit: (e: Parameters<EventSink>[0]) => sink?.(e) };
}

describe('createMessenger', () => {
  it('rejects an invalid capability manifest', () => {
    const { adapter } = fakeAdapter();
    const broken = { ...adapter, capabilities: { ...adapter.capabilities, maxTextLength: -1 } };
    expect(() => createMessenger(broken)).toThrowError(InvalidRequestError);
  });

  it('throws UnsupportedOperationError for undeclared capabilities, without calling the adapter', async () => {
    const getConversation = vi.fn();
    const { adapter } = fakeAdapter({ getConversation });
    const messenger = createMessenger(adapter);
    expect(messenger.supports('getConversation')).toBe(false);
    await expect(messenger.getConversation('c1')).rejects.toSatisfy((e) =>
      UnsupportedOperationError.isInstance(e),
    );
    await expect(messenger.react('c1', 'm1', '👍')).rejects.toSatisfy((e) =>
      UnsupportedOperationError.isInstance(e),
    );
    expect(getConversation).not.toHaveBeenCalled();
  });

  it('treats a declared capability without its method as unsupported, naming the inconsistency', async () => {
    const { adapter } = fakeAdapter({}, { markRead: true });
    const error = await createMessenger(adapter)
      .markRead('c1')
      .catch((e: unknown) => e);
    expect(UnsupportedOperationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/does not implement markRead/);
  });

  it.each([
    ['', 'empty'],
    ['   \n', 'whitespace'],
    ['12345678901', 'too long'],
  ])('rejects text %j (%s) before any request', async (text) => {
    const { adapter, calls } = fakeAdapter();
    await expect(createMessenger(adapter).send('c1', text)).rejects.toSatisfy((e) =>
      InvalidRequestError.isInstance(e),
    );
    expect(calls).toEqual([]);
  });

  it('counts graphemes, not UTF-16 units: 10 family emoji pass, 11 do not', async () => {
    const { adapter, calls } = fakeAdapter();
    const messenger = createMessenger(adapter);
    const family = '👨‍👩‍👧‍👦';
    await expect(messenger.send('c1', family.repeat(10))).resolves.toMatchObject({ id: 'm1' });
    await expect(messenger.send('c1', family.repeat(11))).rejects.toSatisfy((e) =>
      InvalidRequestError.isInstance(e),
    );
    expect(calls).toEqual(['sendMessage']);
  });

  it('accepts text exactly when its grapheme count is within maxTextLength (property)', async () => {
    const { adapter } = fakeAdapter();
    const messenger = createMessenger(adapter);
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 14 }), async (text) => {
        const graphemes = [...segmenter.segment(text)].length;
        const accepted = await messenger.send('c1', text).then(
          () => true,
          () => false,
        );
        expect(accepted).toBe(graphemes <= 10 && text.trim() !== '');
      }),
    );
  });

  it.each([[''], [' c1'], ['c\u00001'], [42 as unknown as string]])(
    'rejects malformed conversation id %j',
    async (id) => {
      const { adapter, calls } = fakeAdapter();
      await expect(createMessenger(adapter).send(id, 'hi')).rejects.toSatisfy((e) =>
        InvalidRequestError.isInstance(e),
      );
      expect(calls).toEqual([]);
    },
  );

  it('refuses an attachment kind the manifest leaves out as unsupported, and a bad URL as invalid', async () => {
    const { adapter, calls } = fakeAdapter({}, { attachments: ['image'] });
    const messenger = createMessenger(adapter);
    const file = { text: 'x', attachments: [{ kind: 'file' as const, url: 'https://example.com/a.pdf' }] };
    await expect(messenger.send('c1', file)).rejects.toSatisfy((e) =>
      UnsupportedOperationError.isInstance(e),
    );
    const bad = { text: 'x', attachments: [{ kind: 'image' as const, url: 'not a url' }] };
    await expect(messenger.send('c1', bad)).rejects.toSatisfy((e) => InvalidRequestError.isInstance(e));
    expect(calls).toEqual([]);
  });

  it('rejects a limit outside the provider page size range', async () => {
    const { adapter, calls } = fakeAdapter();
    const messenger = createMessenger(adapter);
    await expect(messenger.listMessages('c1', { limit: 0 })).rejects.toSatisfy((e) =>
      InvalidRequestError.isInstance(e),
    );
    await expect(messenger.listMessages('c1', { limit: 101 })).rejects.toSatisfy((e) =>
      InvalidRequestError.isInstance(e),
    );
    await expect(messenger.listMessages('c1', { limit: 1.5 })).rejects.toSatisfy((e) =>
      InvalidRequestError.isInstance(e),
    );
    expect(calls).toEqual([]);
  });

  it('rejects opening a direct conversation with two participants', async () => {
    const { adapter } = fakeAdapter({ openConversation: vi.fn() });
    const messenger = createMessenger(adapter);
    await expect(messenger.openConversation({ participants: ['a', 'b'] })).rejects.toSatisfy((e) =>
      InvalidRequestError.isInstance(e),
    );
    await expect(messenger.openConversation({ participants: [] })).rejects.toSatisfy((e) =>
      InvalidRequestError.isInstance(e),
    );
  });

  it('iterates history page by page, newest first as the adapter gives it, each message once', async () => {
    const { adapter, calls } = fakeAdapter();
    const ids: string[] = [];
    for await (const m of createMessenger(adapter).messages('c1')) ids.push(m.id);
    expect(ids).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(calls).toEqual(['listMessages:', 'listMessages:3', 'listMessages:6']);
  });

  it('fetches pages lazily: breaking out early stops fetching', async () => {
    const { adapter, calls } = fakeAdapter();
    for await (const m of createMessenger(adapter).messages('c1')) if (m.id === 'm1') break;
    expect(calls).toEqual(['listMessages:']);
  });

  it('stops with InvalidResponseError when an adapter returns the same cursor twice', async () => {
    const { adapter } = fakeAdapter({
      listMessages: async () => ({ items: [message('x')], nextCursor: 'same' }),
    });
    const iterate = async () => {
      for await (const _ of createMessenger(adapter).messages('c1')) {
        // drain
      }
    };
    await expect(iterate()).rejects.toSatisfy((e) => InvalidResponseError.isInstance(e));
  });

  it('start() subscribes once, routes events, and stop() closes the subscription', async () => {
    const { adapter, calls, emit } = fakeAdapter();
    const messenger = createMessenger(adapter);
    const received: string[] = [];
    const events: string[] = [];
    messenger.on('message', (m) => received.push(m.id));
    messenger.on('event', (e) => events.push(e.type));
    await Promise.all([messenger.start(), messenger.start()]);
    emit({ type: 'message.created', provider: 'fake', conversationId: 'c1', message: message('m9') });
    emit({ type: 'read', provider: 'fake', conversationId: 'c1' });
    expect(received).toEqual(['m9']);
    expect(events).toEqual(['message.created', 'read']);
    await messenger.stop();
    await messenger.stop();
    expect(calls).toEqual(['subscribe', 'close-subscription']);
  });

  it('reports a throwing listener on "error" instead of breaking the source', async () => {
    const { adapter, emit } = fakeAdapter();
    const messenger = createMessenger(adapter);
    const errors: unknown[] = [];
    messenger.on('message', () => {
      throw new Error('listener bug');
    });
    messenger.on('error', (e) => errors.push(e));
    await messenger.start();
    expect(() =>
      emit({ type: 'message.created', provider: 'fake', conversationId: 'c1', message: message('m1') }),
    ).not.toThrow();
    expect(errors).toHaveLength(1);
    await messenger.close();
  });

  it('sendStreaming validates like send and needs the streamedReplies capability', async () => {
    const streamReply = vi.fn(async () => ({
      chunks: (async function* () {
        yield 'he';
        yield 'llo';
      })(),
      reply: Promise.resolve(message('r1', 'hello')),
      userMessage: Promise.resolve(message('m1', 'hi')),
    }));
    const without = createMessenger(fakeAdapter({ streamReply }).adapter);
    await expect(without.sendStreaming('c1', 'hi')).rejects.toSatisfy((e) =>
      UnsupportedOperationError.isInstance(e),
    );
    const messenger = createMessenger(fakeAdapter({ streamReply }, { streamedReplies: true }).adapter);
    await expect(messenger.sendStreaming('c1', '  ')).rejects.toSatisfy((e) =>
      InvalidRequestError.isInstance(e),
    );
    expect(streamReply).not.toHaveBeenCalled();
    const stream = await messenger.sendStreaming('c1', 'hi');
    const chunks: string[] = [];
    for await (const chunk of stream.chunks) chunks.push(chunk);
    expect(chunks.join('')).toBe((await stream.reply).text);
    expect(streamReply).toHaveBeenCalledWith('c1', { text: 'hi' }, undefined);
  });

  it('start() is unsupported when the adapter has no realtime', async () => {
    const { adapter } = fakeAdapter({}, { realtime: 'none' });
    await expect(createMessenger(adapter).start()).rejects.toSatisfy((e) =>
      UnsupportedOperationError.isInstance(e),
    );
  });
});
