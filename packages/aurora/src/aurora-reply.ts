import { randomUUID } from 'node:crypto';
import {
  type EventSink,
  InvalidResponseError,
  type Message,
  ReplyChunks,
  type StreamedReply,
} from '@switchboard/core';
import type { AuroraApi } from './aurora-api.js';
import type { AuroraHistory, AuroraStoredMessage } from './aurora-history.js';
import { readAuroraSse } from './aurora-sse.js';
import { type AuroraChatParties, mapAuroraMessage } from './map-aurora-message.js';

/**
 * A reply being streamed: core's `StreamedReply` (its text chunks as they arrive, then the stored
 * messages). `reply` rejects with `NetworkError` (cut), `TimeoutError` (no first byte, or stalled),
 * `InvalidResponseError` (a bad event, a body that is not UTF-8, or a reply the chat's history does
 * not show as this send's), or the abort reason; `userMessage` settles with `reply`, and `chunks`
 * ends only once `reply` resolved and throws whenever it rejects.
 *
 * ```ts
 * const stream = await messenger.sendStreaming(conversationId, 'Tell me a story');
 * for await (const chunk of stream.chunks) process.stdout.write(chunk);
 * const reply = await stream.reply; // the character's stored message
 * ```
 */
export type AuroraReplyStream = StreamedReply;

/**
 * The newest message id the adapter knows in each chat (v11), from its own last turn there. A send
 * only accepts messages newer than it as its own turn. Absent: read with one `GET /messages`.
 */
export type AuroraTurnMarks = Map<number, number>;

/** What a reply needs from the adapter. */
export interface AuroraReplyContext {
  api: AuroraApi;
  history: AuroraHistory;
  /** Receives each `message.delta` and the final `message.created`. */
  emit: EventSink;
  /** Longest wait for the response headers, then for the body's first byte, in milliseconds. */
  firstByteTimeoutMs: number;
  /** Longest silence between two bytes of the body once it started, in milliseconds. */
  idleTimeoutMs: number;
  /** Per chat, the newest message id known before the next send (v11 only; v5 always reads it). */
  marks: AuroraTurnMarks;
}

/** Messages read back after a reply when the newest two are not this turn (someone wrote meanwhile). */
const WIDER_READ_BACK = 20;

/** A chat's newest message "id" as a number: the v11 id, or the v5 position; -1 for an empty chat. */
const idOf = (message: AuroraStoredMessage | undefined) => (message ? Number(message.id) : -1);

/**
 * The newest message id in the chat before this send: the adapter's own mark (v11), else the newest
 * message (`GET /messages?numMessages=1` in v11; in v5 `GET /message/history`, the whole chat).
 */
async function markBefore(context: AuroraReplyContext, chatId: number, signal?: AbortSignal) {
  const known = context.api.version === 'v11' ? context.marks.get(chatId) : undefined;
  if (known !== undefined) return known;
  const { items } = await context.history.page(chatId, 1, undefined, signal);
  return idOf(items[0]);
}

/**
 * Sends `text` with `POST /message` and streams the reply. Resolves once Aurora accepted the message
 * with a `text/event-stream` answer; each chunk becomes a `message.delta` event, and the reply, once
 * the stream ended cleanly and both turns were read back from the history as newer than every
 * message known before the send (`POST /message` stores both turns, see docs), one `message.created`
 * carrying the chunks' `replyId`.
 * @throws the mapped HTTP error when Aurora refuses the message (quota → `RateLimitError`, …).
 * @throws {InvalidResponseError} when Aurora answers 2xx with something other than
 * `text/event-stream` (the message may have been stored: not retryable).
 */
export async function startAuroraReply(
  context: AuroraReplyContext,
  chat: { chatId: number; characterId: number; parties: AuroraChatParties },
  text: string,
  signal?: AbortSignal,
): Promise<AuroraReplyStream> {
  const { api, emit, marks } = context;
  const { chatId, characterId, parties } = chat;
  const { conversationId } = parties;
  const before = await markBefore(context, chatId, signal);
  // From here on the chat may hold a turn of ours: the mark is re-learnt unless the turn is confirmed.
  marks.delete(chatId);
  const response = await api.sendMessage(
    { characterId, chatId, message: text },
    { timeoutMs: context.firstByteTimeoutMs, ...(signal ? { signal } : {}) },
  );
  const contentType = (response.headers['content-type'] ?? '').slice(0, 100);
  if (!/^text\/event-stream\s*(;|$)/i.test(contentType)) {
    response.body.destroy();
    throw new InvalidResponseError(
      `aurora: POST /message answered HTTP ${response.status} with ${contentType ? `content-type ${contentType}` : 'no content-type'} ` +
        'instead of the text/event-stream reply. Your message may have been stored: check the chat ' +
        'before sending it again.',
      {
        provider: 'aurora',
        status: response.status,
        method: 'POST',
        url: api.url('/message'),
        retryable: false,
      },
    );
  }
  const chunks = new ReplyChunks();
  const replyId = randomUUID();

  const stored = (async () => {
    let index = 0;
    const deltas = readAuroraSse(response.body, {
      firstByteTimeoutMs: context.firstByteTimeoutMs,
      idleTimeoutMs: context.idleTimeoutMs,
      what: `the reply in chat ${chatId}`,
      url: api.url('/message'),
      ...(signal ? { signal } : {}),
    });
    let replyText = '';
    for await (const delta of deltas) {
      replyText += delta;
      chunks.push(delta);
      emit({ type: 'message.delta', provider: 'aurora', conversationId, replyId, index: index++, delta });
    }
    const messages = await readBack(context.history, chat, before, text, replyText, signal);
    if (api.version === 'v11') marks.set(chatId, Number(messages.reply.id));
    emit({ type: 'message.created', provider: 'aurora', conversationId, message: messages.reply, replyId });
    return messages;
  })();
  // The iterators end only once the turn was confirmed, and throw whenever it was not.
  chunks.settleWith(stored);

  const reply = stored.then((messages) => messages.reply);
  const userMessage = stored.then((messages) => messages.user);
  // Either may be left unawaited (e.g. an app that only reads `chunks`): never an unhandled rejection.
  for (const promise of [reply, userMessage]) promise.catch(() => {});
  return { chunks, reply, userMessage };
}

/**
 * Finds this send's stored turn: the reply and, just before it, the user's message, both newer than
 * `before` (so an older identical exchange never matches). Reads the newest two messages; only when
 * they are not the turn but newer messages exist (someone wrote meanwhile) a wider page.
 */
async function readBack(
  history: AuroraHistory,
  chat: { chatId: number; parties: AuroraChatParties },
  before: number,
  text: string,
  replyText: string,
  signal?: AbortSignal,
): Promise<{ user: Message; reply: Message }> {
  const find = (items: AuroraStoredMessage[]) => {
    const fresh = items.filter((m) => idOf(m) > before);
    const replyAt = fresh.findIndex((m) => m.role === 'assistant' && m.content === replyText);
    const user = fresh.slice(replyAt + 1).find((m) => m.role === 'user' && m.content === text);
    return replyAt < 0 || !user ? undefined : { user, reply: fresh[replyAt]! };
  };
  const newest = await history.page(chat.chatId, 2, undefined, signal);
  let found = find(newest.items);
  if (!found && newest.nextCursor !== undefined && idOf(newest.items[1]) > before) {
    const wider = await history.page(chat.chatId, WIDER_READ_BACK, undefined, signal);
    found = find(wider.items);
  }
  if (!found)
    throw new InvalidResponseError(
      `aurora: the reply in chat ${chat.chatId} streamed completely, but the chat's history does not ` +
        'show your message and this reply as new messages (this adapter expects POST /message to store ' +
        'both). Aurora accepted your message: check the chat before sending it again.',
      { provider: 'aurora', retryable: false },
    );
  return {
    user: mapAuroraMessage(found.user, chat.parties),
    reply: mapAuroraMessage(found.reply, chat.parties),
  };
}
