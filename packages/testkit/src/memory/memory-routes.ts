import { type Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as z from 'zod';
import { MemoryApiError } from './memory-api-error.js';
import type { MemorySessionGrant, MemorySessions } from './memory-sessions.js';
import type { MemoryPost, MemoryStore } from './memory-store.js';
import { wireConversation, wireEvent, wireMessage, wireUser } from './memory-wire.js';

/** Page sizes of the memory backend's list endpoints. */
export const MEMORY_PAGE_SIZE = { min: 1, max: 100, default: 20 } as const;
/** Longest long-poll wait `/v1/events` accepts, in ms. */
export const MEMORY_MAX_WAIT_MS = 30_000;
/** Most events one `/v1/events` answer carries. */
const EVENTS_PER_ANSWER = 100;

const sessionBody = z.object({ refreshToken: z.string() });
const openBody = z.object({ participantIds: z.array(z.string()).min(1), title: z.string().nullish() });
const muteBody = z.object({ muted: z.boolean() });
const postBody = z.object({
  text: z.string(),
  attachments: z
    .array(z.object({ kind: z.enum(['image', 'file']), url: z.string().min(1), name: z.string().nullish() }))
    .optional(),
  replyToId: z.string().nullish(),
});
const editBody = z.object({ text: z.string() });

const toPost = (body: z.infer<typeof postBody>): MemoryPost => ({
  text: body.text,
  attachments: body.attachments?.map((a) => ({ kind: a.kind, url: a.url, name: a.name ?? null })) ?? [],
  replyToId: body.replyToId ?? null,
});
const readBody = z.object({ messageId: z.string().nullish() }).optional();

type Env = { Variables: { userId: string } };

async function parseBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const raw = await c.req.text();
  let json: unknown;
  try {
    json = raw === '' ? undefined : JSON.parse(raw);
  } catch {
    throw new MemoryApiError(400, 'invalid_json', 'The body is not JSON.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new MemoryApiError(400, 'invalid_request', parsed.error.issues[0]?.message ?? 'Bad body.');
  return parsed.data;
}

const encodeCursor = (n: number) => Buffer.from(`p${n}`).toString('base64url');
function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const match = /^p(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new MemoryApiError(400, 'invalid_cursor', 'The cursor is not one this API issued.');
  return Number(match[1]);
}

function pageLimit(value: string | undefined): number {
  if (value === undefined) return MEMORY_PAGE_SIZE.default;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < MEMORY_PAGE_SIZE.min || limit > MEMORY_PAGE_SIZE.max)
    throw new MemoryApiError(
      400,
      'invalid_limit',
      `limit must be ${MEMORY_PAGE_SIZE.min}…${MEMORY_PAGE_SIZE.max}.`,
    );
  return limit;
}

const bearer = (c: Context) => /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];

/** The memory chat REST API (`/v1/…`) over a store and its sessions. */
export function createMemoryRoutes(store: MemoryStore, sessions: MemorySessions): Hono<Env> {
  const app = new Hono<Env>();

  app.onError((error, c) => {
    if (error instanceof MemoryApiError)
      return c.json({ error: error.code, message: error.message }, error.status as ContentfulStatusCode);
    return c.json({ error: 'internal_error', message: 'Internal error.' }, 500);
  });
  app.notFound((c) =>
    c.json({ error: 'not_found', message: `No route ${c.req.method} ${c.req.path}.` }, 404),
  );

  const session = ({ userId, accessToken, refreshToken, expiresAt }: MemorySessionGrant) => ({
    accessToken,
    refreshToken,
    expiresAt: new Date(expiresAt).toISOString(),
    user: wireUser(store.user(userId)),
  });
  app.post('/v1/sessions', (c) => c.json(session(sessions.login(bearer(c))), 201));
  app.post('/v1/sessions/refresh', async (c) =>
    c.json(session(sessions.refresh((await parseBody(c, sessionBody)).refreshToken)), 201),
  );

  app.use('/v1/*', async (c, next) => {
    c.set('userId', sessions.authenticate(bearer(c)));
    await next();
  });

  app.get('/v1/conversations', (c) => {
    const userId = c.get('userId');
    const slice = store.list(userId, decodeCursor(c.req.query('cursor')), pageLimit(c.req.query('limit')));
    return c.json({
      conversations: slice.items.map((conversation) => wireConversation(conversation, userId, store)),
      nextCursor: slice.next === undefined ? null : encodeCursor(slice.next),
    });
  });
  app.post('/v1/conversations', async (c) => {
    const userId = c.get('userId');
    const body = await parseBody(c, openBody);
    const conversation = store.open(userId, body.participantIds, body.title ?? null);
    return c.json(wireConversation(conversation, userId, store), 201);
  });
  app.get('/v1/conversations/:cid', (c) => {
    const userId = c.get('userId');
    return c.json(wireConversation(store.conversation(userId, c.req.param('cid')), userId, store));
  });
  app.patch('/v1/conversations/:cid', async (c) => {
    const userId = c.get('userId');
    const { muted } = await parseBody(c, muteBody);
    return c.json(wireConversation(store.mute(userId, c.req.param('cid'), muted), userId, store));
  });
  app.delete('/v1/conversations/:cid', (c) => {
    store.leave(c.get('userId'), c.req.param('cid'));
    return c.body(null, 204);
  });

  app.get('/v1/conversations/:cid/messages', (c) => {
    const slice = store.history(
      c.get('userId'),
      c.req.param('cid'),
      decodeCursor(c.req.query('cursor')),
      pageLimit(c.req.query('limit')),
    );
    return c.json({
      messages: slice.items.map((message) => wireMessage(message, store)),
      nextCursor: slice.next === undefined ? null : encodeCursor(slice.next),
    });
  });
  app.post('/v1/conversations/:cid/messages', async (c) => {
    const message = store.post(c.get('userId'), c.req.param('cid'), toPost(await parseBody(c, postBody)));
    return c.json(wireMessage(message, store), 201);
  });
  app.post('/v1/conversations/:cid/replies', async (c) => {
    const userId = c.get('userId');
    const conversationId = c.req.param('cid');
    const post = toPost(await parseBody(c, postBody));
    const draft = store.draftReply(userId, conversationId, post.text);
    const asked = store.post(userId, conversationId, post);
    return streamSSE(c, async (stream) => {
      await stream.writeSSE({ event: 'message', data: JSON.stringify(wireMessage(asked, store)) });
      for (const [index, chunk] of draft.chunks.entries()) {
        store.streamChunk(conversationId, draft.replyId, index, chunk);
        const delta = { replyId: draft.replyId, index, text: chunk };
        await stream.writeSSE({ event: 'delta', data: JSON.stringify(delta) });
      }
      const reply = store.post(
        draft.senderId,
        conversationId,
        { text: draft.chunks.join('') },
        draft.replyId,
      );
      await stream.writeSSE({ event: 'reply', data: JSON.stringify(wireMessage(reply, store)) });
    });
  });
  app.get('/v1/conversations/:cid/messages/:mid', (c) =>
    c.json(wireMessage(store.message(c.get('userId'), c.req.param('cid'), c.req.param('mid')), store)),
  );
  app.patch('/v1/conversations/:cid/messages/:mid', async (c) => {
    const { text } = await parseBody(c, editBody);
    return c.json(
      wireMessage(store.edit(c.get('userId'), c.req.param('cid'), c.req.param('mid'), text), store),
    );
  });
  app.delete('/v1/conversations/:cid/messages/:mid', (c) => {
    store.remove(c.get('userId'), c.req.param('cid'), c.req.param('mid'));
    return c.body(null, 204);
  });
  app.post('/v1/conversations/:cid/read', async (c) => {
    const body = await parseBody(c, readBody);
    store.markRead(c.get('userId'), c.req.param('cid'), body?.messageId ?? undefined);
    return c.body(null, 204);
  });
  for (const [method, on] of [
    ['put', true],
    ['delete', false],
  ] as const) {
    app[method]('/v1/conversations/:cid/messages/:mid/reactions/:value', (c) => {
      store.react(c.get('userId'), c.req.param('cid'), c.req.param('mid'), c.req.param('value'), on);
      return c.body(null, 204);
    });
  }

  app.get('/v1/events', async (c) => {
    const userId = c.get('userId');
    const after = c.req.query('cursor');
    if (after === undefined) return c.json({ events: [], cursor: String(store.events.head) });
    const afterSeq = Number(after);
    if (!Number.isInteger(afterSeq) || afterSeq < 0 || afterSeq > store.events.head)
      throw new MemoryApiError(400, 'invalid_cursor', 'The cursor is not one this API issued.');
    const waitMs = Math.min(Math.max(Number(c.req.query('waitMs') ?? 0) || 0, 0), MEMORY_MAX_WAIT_MS);
    await store.events.wait(userId, afterSeq, waitMs, c.req.raw.signal);
    const events = store.events.after(userId, afterSeq, EVENTS_PER_ANSWER);
    return c.json({
      events: events.map((event) => wireEvent(event, userId, store)),
      cursor: String(events.at(-1)?.seq ?? afterSeq),
    });
  });

  return app;
}
