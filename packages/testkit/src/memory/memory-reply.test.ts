import { PassThrough } from 'node:stream';
import { InvalidResponseError, NetworkError } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { streamMemoryReply } from './memory-reply.js';

const wireMessage = (id: string, senderId: string, text: string) => ({
  id,
  conversationId: 'conv_1',
  sender: { id: senderId, handle: senderId, displayName: null },
  text,
  attachments: [],
  replyToId: null,
  sentAt: '2025-01-01T00:00:00.000Z',
  editedAt: null,
  deleted: false,
  reactions: [],
});
const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

async function collect(chunks: AsyncIterable<string>) {
  const seen: string[] = [];
  try {
    for await (const chunk of chunks) seen.push(chunk);
  } catch (error) {
    return { seen, error };
  }
  return { seen };
}

describe('streamMemoryReply', () => {
  it('yields the chunks received, then fails every reader with NetworkError when the stream is cut', async () => {
    const body = new PassThrough();
    const stream = streamMemoryReply(body, 'me');
    body.write(sse('message', wireMessage('msg_1', 'me', 'hi')));
    body.write(sse('delta', { replyId: 'r1', index: 0, text: 'You ' }));
    expect((await stream.userMessage).sender.isSelf).toBe(true);
    body.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    await expect(stream.reply).rejects.toSatisfy((error) => NetworkError.isInstance(error));
    const { seen, error } = await collect(stream.chunks);
    expect(seen).toEqual(['You ']);
    expect(NetworkError.isInstance(error)).toBe(true);
  });

  it('rejects a stream that ends without the reply, or carries a malformed event, with InvalidResponseError', async () => {
    const ended = new PassThrough();
    const early = streamMemoryReply(ended, 'me');
    ended.end(sse('message', wireMessage('msg_1', 'me', 'hi')));
    await expect(early.reply).rejects.toSatisfy((error) => InvalidResponseError.isInstance(error));

    const garbled = new PassThrough();
    const malformed = streamMemoryReply(garbled, 'me');
    garbled.end(sse('message', { id: 42 }));
    await expect(malformed.reply).rejects.toSatisfy((error) => InvalidResponseError.isInstance(error));
    await expect(malformed.userMessage).rejects.toSatisfy((error) => InvalidResponseError.isInstance(error));
  });
});
