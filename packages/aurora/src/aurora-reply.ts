import { randomUUID } from 'node:crypto';
import {
  type EventSink,
  InvalidResponseError,
  type Message,
  ReplyChunks,
  type StreamedReply,
} from '@switchboard/core';
import type { AuroraApi } from './aurora-api.js';
import type { AuroraHistory } from './aurora-history.js';
import { type AuroraChatParties, toAuroraMessage } from './map-aurora-message.js';
import { readAuroraSse } from './read-aurora-sse.js';

/**
 * A reply being streamed: core's `StreamedReply` (its text chunks as they arrive, then the stored
 * messages). `reply` rejects with `NetworkError` (cut), `TimeoutError` (stalled) or
 * `InvalidResponseError` (a bad event or a reply missing from the history), or the abort reason;
 * `userMessage` settles with `reply`.
 *
 * ```ts
 * const stream = await messenger.sendStreaming(conversationId, 'Tell me a story');
 * for await (const chunk of stream.chunks) process.stdout.write(chunk);
 * const reply = await stream.reply; // the character's stored message
 * ```
 */
export type AuroraReplyStream = StreamedReply;

/** What a reply needs from the adapter. */
export interface AuroraReplyContext {
  api: AuroraApi;
  history: AuroraHistory;
  /** Receives each `message.delta` and the final `message.created`. */
  emit: EventSink;
  /** Longest pause between two chunks, in milliseconds. */
  idleTimeoutMs: number;
}

/** How many of the newest messages are read back to find the stored turn and reply. */
const READ_BACK = 10;

/**
 * Sends `text` with `POST /message` and streams the reply. Resolves once Aurora accepted the message;
 * each chunk becomes a `message.delta` event, and the reply, once the stream ended cleanly and was
 * read back from the history (`POST /message` stores both turns, see docs), one `message.created`.
 * @throws the mapped HTTP error when Aurora refuses the message (quota → `RateLimitError`, …).
 */
export async function startAuroraReply(
  context: AuroraReplyContext,
  chat: { chatId: number; characterId: number; parties: AuroraChatParties },
  text: string,
  signal?: AbortSignal,
): Promise<AuroraReplyStream> {
  const { api, emit } = context;
  const { chatId, characterId, parties } = chat;
  const { conversationId } = parties;
  const response = await api.sendMessage({ characterId, chatId, message: text }, signal);
  const chunks = new ReplyChunks();
  const replyId = randomUUID();

  const stored = (async () => {
    let index = 0;
    const deltas = readAuroraSse(response.body, {
      idleTimeoutMs: context.idleTimeoutMs,
      what: `the reply in chat ${chatId}`,
      url: api.url('/message'),
      signal,
    });
    for await (const delta of deltas) {
      chunks.push(delta);
      emit({ type: 'message.delta', provider: 'aurora', conversationId, replyId, index: index++, delta });
    }
    chunks.end();
    const messages = await readBack(context.history, chat, text, chunks.text, signal);
    emit({ type: 'message.created', provider: 'aurora', conversationId, message: messages.reply });
    return messages;
  })();
  stored.catch((error: unknown) => chunks.fail(error));

  const reply = stored.then((messages) => messages.reply);
  const userMessage = stored.then((messages) => messages.user);
  // Either may be left unawaited (e.g. an app that only reads `chunks`): never an unhandled rejection.
  for (const promise of [reply, userMessage]) promise.catch(() => {});
  return { chunks, reply, userMessage };
}

/** Finds the stored reply and, before it, the stored user turn, among the newest messages. */
async function readBack(
  history: AuroraHistory,
  chat: { chatId: number; parties: AuroraChatParties },
  text: string,
  replyText: string,
  signal?: AbortSignal,
): Promise<{ user: Message; reply: Message }> {
  const { items } = await history.page(chat.chatId, READ_BACK, undefined, signal);
  const replyAt = items.findIndex((m) => m.role === 'assistant' && m.content === replyText);
  const user = items.slice(replyAt + 1).find((m) => m.role === 'user' && m.content === text);
  if (replyAt < 0 || !user)
    throw new InvalidResponseError(
      `aurora: the reply in chat ${chat.chatId} streamed completely, but the chat's history does not ` +
        'show the message and its reply (this adapter expects POST /message to store both). ' +
        'Your message was sent: do not send it again.',
      { provider: 'aurora' },
    );
  return { user: toAuroraMessage(user, chat.parties), reply: toAuroraMessage(items[replyAt]!, chat.parties) };
}
