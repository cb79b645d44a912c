import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Hono } from 'hono';
import { auroraErrorText } from './aurora-error-bodies.js';
import {
  type AuroraApiVersion,
  type AuroraEnv,
  fail,
  intQuery,
  isId,
  jsonObject,
  ownChat,
  pageQuery,
  requireToken,
} from './aurora-http.js';
import { type AuroraModel, chunkReply } from './aurora-model.js';
import { writeReplyStream } from './aurora-reply-stream.js';
import type { AuroraMessageRecord, AuroraRole, AuroraStore } from './aurora-store.js';

/** Most messages one `GET /messages` returns (the SDK documents "≤100"). */
const MAX_PAGE = 100;
/** Longest message `POST /message` accepts, in Unicode code points (our choice; the API documents none). */
export const AURORA_MAX_MESSAGE_LENGTH = 4096;
const ROLES: readonly unknown[] = ['system', 'user', 'assistant'] satisfies AuroraRole[];

/** What the message routes need besides the store. */
export interface AuroraReplyOptions {
  model: AuroraModel;
  /** Pause before each streamed chunk, in milliseconds. */
  chunkDelayMs: number;
  /** Extra pause before the first chunk, headers already sent (the model thinking), in milliseconds. */
  replyStartDelayMs: number;
  /** Takes the next planned stream cut (chunks to send before the connection dies), if any. */
  takeStreamCut(): number | undefined;
  /** Aborted when the emulator closes: open streams stop. */
  signal: AbortSignal;
}

/**
 * History (`GET /messages` in v11: newest first, `from` is the newest id to include; `GET /message/history`
 * in v5: the whole chat, oldest first), `POST /message/save`, `DELETE /message?messageId=`, and
 * `POST /message`, which stores the user's turn, answers with the streamed reply, and stores the reply
 * once it streamed completely. Sending counts against the user's quota; past it v11 answers 429 with
 * the quota literal, v5 answers 402 "not subscribed to a paid plan".
 */
export function registerAuroraMessageRoutes(
  app: Hono<AuroraEnv>,
  store: AuroraStore,
  version: AuroraApiVersion,
  replies: AuroraReplyOptions,
) {
  const auth = requireToken(store);
  const view = ({ role, content, timestamp, id }: AuroraMessageRecord) =>
    version === 'v11' ? { role, content, timestamp, id } : { role, content, timestamp };

  if (version === 'v11') {
    app.get('/messages', auth, (c) => {
      const chat = ownChat(c, store, version, 'messages');
      if (chat instanceof Response) return chat;
      const query = pageQuery(c, 'numMessages', MAX_PAGE);
      if (!query) return fail(c, 400, auroraErrorText.badRequest);
      const page = store.pageMessages(chat.id, query.count, query.from);
      return c.json({ success: true, messages: page.messages.map(view), endOfList: page.endOfList });
    });
  } else {
    app.get('/message/history', auth, (c) => {
      const chat = ownChat(c, store, version, 'history');
      if (chat instanceof Response) return chat;
      return c.json({ success: true, chatHistory: store.history(chat.id).map(view) });
    });
  }

  app.post('/message/save', auth, async (c) => {
    const body = await jsonObject(c);
    const chat = ownChat(c, store, version, 'save', body?.chatId);
    if (chat instanceof Response) return chat;
    const { role, content, timestamp } = body!;
    if (!ROLES.includes(role) || typeof content !== 'string' || !isId(timestamp))
      return fail(c, 400, auroraErrorText.badRequest);
    const saved = store.addMessage(chat.id, role as AuroraRole, content, timestamp);
    return c.json(version === 'v11' ? { success: true, id: saved.id } : { success: true });
  });

  app.delete('/message', auth, (c) => {
    const id = intQuery(c.req.query('messageId'));
    if (id === undefined) return fail(c, 400, auroraErrorText.badRequest);
    const message = store.message(id);
    const mine = message !== undefined && store.chat(message.chatId)!.owner === c.get('user').username;
    // v5 declares "Invalid message ID" (400) and "does not belong to this user" (401) here; v11
    // declares only the generic shapes, so both answer the generic 400 (see `ChatIdAnswers`).
    if (!mine && version === 'v11') return fail(c, 400, auroraErrorText.badRequest);
    if (!message) return fail(c, 400, auroraErrorText.invalidMessageId);
    if (!mine) return fail(c, 401, auroraErrorText.unauthorizedId);
    store.deleteMessage(id);
    return c.json({ success: true });
  });

  app.post('/message', auth, async (c) => {
    const body = await jsonObject(c);
    const chat = ownChat(c, store, version, 'send', body?.chatId);
    if (chat instanceof Response) return chat;
    const { characterId, message, messageContext } = body!;
    if (
      characterId !== chat.characterId ||
      typeof message !== 'string' ||
      message === '' ||
      [...message].length > AURORA_MAX_MESSAGE_LENGTH ||
      (messageContext !== undefined && (version === 'v11' || !Array.isArray(messageContext)))
    )
      return fail(c, 400, auroraErrorText.badRequest);
    const user = c.get('user');
    if (user.quotaUsed >= user.quotaMax)
      return version === 'v11'
        ? fail(c, 429, auroraErrorText.quotaExceeded)
        : fail(c, 402, auroraErrorText.accountInBadStanding);

    user.quotaUsed += 1;
    store.addMessage(chat.id, 'user', message);
    const character = store.character(chat.characterId)!;
    const reply = replies.model({ character, message });
    const cutAfterChunks = replies.takeStreamCut();
    void writeReplyStream(
      c.env.outgoing,
      {
        chunks: chunkReply(reply),
        chunkDelayMs: replies.chunkDelayMs,
        startDelayMs: replies.replyStartDelayMs,
        ...(cutAfterChunks === undefined ? {} : { cutAfterChunks }),
        onComplete: () => {
          if (store.chat(chat.id)) store.addMessage(chat.id, 'assistant', reply);
        },
      },
      replies.signal,
    );
    return RESPONSE_ALREADY_SENT;
  });
}
