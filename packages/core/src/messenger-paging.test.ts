import { describe, expect, it } from 'vitest';
import { nothingDeclared } from '../test/capabilities-fixture.js';
import { defineCapabilities } from './capabilities.js';
import type { ChatAdapter } from './chat-adapter.js';
import { InvalidRequestError } from './errors.js';
import { createMessenger } from './messenger.js';
import type { Conversation, Message, PageParams } from './model.js';

/** An adapter that records the `limit` of every list call and serves two pages. */
function pagingAdapter() {
  const limits: (number | undefined)[] = [];
  const page = <T>(params: PageParams, item: (i: number) => T) => {
    limits.push(params.limit);
    return params.cursor === undefined ? { items: [item(0)], nextCursor: 'p2' } : { items: [item(1)] };
  };
  const adapter: ChatAdapter = {
    specificationVersion: 'v1',
    provider: 'fake',
    capabilities: defineCapabilities({
      ...nothingDeclared,
      listConversations: true,
      listMessages: true,
      pageSize: { min: 1, max: 100, default: 50 },
    }),
    async sendMessage() {
      throw new Error('not used');
    },
    async listConversations(params) {
      return page(params, (i) => ({ id: `c${i}` }) as Conversation);
    },
    async listMessages(_id, params) {
      return page(params, (i) => ({ id: `m${i}` }) as Message);
    },
  };
  return { adapter, limits };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('messenger iterators: page size', () => {
  it('messages() without limit asks every page at the provider maximum, not its default', async () => {
    const { adapter, limits } = pagingAdapter();
    const items = await collect(createMessenger(adapter).messages('c1'));
    expect(items.map((m) => m.id)).toEqual(['m0', 'm1']);
    expect(limits).toEqual([100, 100]);
  });

  it('conversations() without limit asks every page at the provider maximum', async () => {
    const { adapter, limits } = pagingAdapter();
    await collect(createMessenger(adapter).conversations());
    expect(limits).toEqual([100, 100]);
  });

  it('an explicit limit is passed through unchanged', async () => {
    const { adapter, limits } = pagingAdapter();
    const messenger = createMessenger(adapter);
    await collect(messenger.messages('c1', { limit: 7 }));
    await collect(messenger.conversations({ limit: 20 }));
    expect(limits).toEqual([7, 7, 20, 20]);
  });

  it('an explicit limit outside pageSize is still refused before any request', async () => {
    const { adapter, limits } = pagingAdapter();
    await expect(collect(createMessenger(adapter).messages('c1', { limit: 101 }))).rejects.toSatisfy((e) =>
      InvalidRequestError.isInstance(e),
    );
    expect(limits).toEqual([]);
  });

  it('listMessages() (one page, for apps that page themselves) leaves limit to the provider default', async () => {
    const { adapter, limits } = pagingAdapter();
    await createMessenger(adapter).listMessages('c1');
    expect(limits).toEqual([undefined]);
  });
});
