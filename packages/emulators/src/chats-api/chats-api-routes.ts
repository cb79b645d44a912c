import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HttpException, RequestValidationError } from './chats-api-errors.js';
import { parseUuid } from './chats-api-ids.js';
import type { ChatsApiStore, UserRecord } from './chats-api-store.js';
import type { TokenIssuer } from './chats-api-tokens.js';
import { readJsonBody, Validator } from './chats-api-validation.js';
import {
  type ChatWithMessagesPage,
  type PageOf,
  toChatDetail,
  toChatPreview,
  toMessageOut,
  toUserPublic,
  toUserSearchPublic,
} from './chats-api-wire.js';

/** What the REST routes work on. */
export interface ChatsApiRoutesDeps {
  store: ChatsApiStore;
  tokens: TokenIssuer;
}

/** Resolves a JWT to its user as the server's `get_current_user` does. @throws {HttpException} 401. */
export function userFromToken(store: ChatsApiStore, tokens: TokenIssuer, token: string): UserRecord {
  const claims = tokens.verify(token);
  if (!claims) throw new HttpException(401, 'Invalid token');
  if (!claims.sub) throw new HttpException(401, 'Invalid token: no subject');
  const userId = parseUuid(claims.sub);
  if (!userId) throw new HttpException(401, 'Invalid subject in token');
  const user = store.user(userId);
  if (!user) throw new HttpException(401, 'User not found');
  return user;
}

const PATHS: Record<string, string[]> = {
  '/register': ['POST'],
  '/login': ['POST'],
  '/token': ['POST'],
  '/me': ['GET'],
  '/search': ['GET'],
  '/chats': ['GET', 'POST'],
  '/chats/:chat_id': ['GET'],
  '/chats/:chat_id/messages': ['POST'],
  '/health': ['GET'],
};

/**
 * The REST half of the server (`app/routers/{auth,search,chats}.py`) as a hono app. Checks run in
 * FastAPI's order: a malformed JSON body (422) first, then the bearer token (401), then every
 * parameter and body field at once (422), then the handler's own rules (400/404).
 */
export function createChatsApiRoutes({ store, tokens }: ChatsApiRoutesDeps): Hono {
  const app = new Hono();

  /** `OAuth2PasswordBearer` + `get_current_user`. */
  const currentUser = (c: Context): UserRecord => {
    const [scheme, token] = (c.req.header('authorization') ?? '').split(/ (.*)/s);
    if (scheme?.toLowerCase() !== 'bearer' || !token)
      throw new HttpException(401, 'Not authenticated', { 'WWW-Authenticate': 'Bearer' });
    return userFromToken(store, tokens, token);
  };

  /** The last value of a query parameter (Starlette's `QueryParams.get`). */
  const query = (c: Context, name: string) => c.req.queries(name)?.at(-1);

  /** `PaginationParams`: `limit` 1..100 (20), `offset` ≥ 0 (0). */
  const pagination = (c: Context, v: Validator) => ({
    limit: v.int(['query', 'limit'], query(c, 'limit'), { default: 20, ge: 1, le: 100 }),
    offset: v.int(['query', 'offset'], query(c, 'offset'), { default: 0, ge: 0 }),
  });

  /** A `Page[T]` answer: `items` of `total`, with the request's `limit` and `offset`. */
  const pageOf = <T>(
    items: T[],
    total: number,
    { limit, offset }: ReturnType<typeof pagination>,
  ): PageOf<T> => ({
    items,
    total,
    limit,
    offset,
  });

  const token = (user: UserRecord) => ({ access_token: tokens.issue(user.id), token_type: 'bearer' });

  app.post('/register', async (c) => {
    const raw = await readJsonBody(c.req.raw);
    const v = new Validator();
    const body = v.body(raw);
    const field = (name: string) => ['body', name];
    const email = v.string(field('email'), body.email, { required: true, email: true }, body);
    const username = v.string(
      field('username'),
      body.username,
      { required: true, minLength: 3, maxLength: 50 },
      body,
    );
    const password = v.string(
      field('password'),
      body.password,
      { required: true, minLength: 8, maxLength: 256 },
      body,
    );
    const firstName = v.string(field('first_name'), body.first_name, { nullable: true }, body);
    const lastName = v.string(field('last_name'), body.last_name, { nullable: true }, body);
    const avatar = v.string(field('avatar'), body.avatar, { nullable: true }, body);
    v.done();
    const user = store.addUser({
      email: email!,
      username: username!,
      password: password!,
      firstName: firstName ?? null,
      lastName: lastName ?? null,
      avatar: avatar ?? null,
    });
    return c.json(toUserPublic(user), 201);
  });

  app.post('/login', async (c) => {
    const raw = await readJsonBody(c.req.raw);
    const v = new Validator();
    const body = v.body(raw);
    const login = v.string(['body', 'username_or_email'], body.username_or_email, { required: true }, body);
    const password = v.string(['body', 'password'], body.password, { required: true }, body);
    v.done();
    const user = store.authenticate(login!, password!);
    if (!user) throw new HttpException(401, 'Invalid credentials');
    return c.json(token(user));
  });

  app.post('/token', async (c) => {
    const form = await c.req.parseBody();
    // FastAPI treats an empty form value as absent.
    const value = (name: string) => {
      const entry = form[name];
      return typeof entry === 'string' && entry !== '' ? entry : undefined;
    };
    const v = new Validator();
    const field = (name: string) => ['body', name];
    v.string(field('grant_type'), value('grant_type'), { nullable: true, pattern: 'password' });
    const username = v.string(field('username'), value('username'), { required: true });
    const password = v.string(field('password'), value('password'), { required: true });
    v.done();
    const user = store.authenticate(username!, password!);
    if (!user) throw new HttpException(401, 'Invalid credentials');
    return c.json(token(user));
  });

  app.get('/me', (c) => c.json(toUserPublic(currentUser(c))));

  app.get('/search', (c) => {
    const me = currentUser(c);
    const v = new Validator();
    const paging = pagination(c, v);
    const q = v.string(['query', 'q'], query(c, 'q'), { required: true, minLength: 1, maxLength: 100 });
    v.done();
    const found = store.searchUsers(me.id, q!, paging.limit, paging.offset);
    return c.json(pageOf(found.items.map(toUserSearchPublic), found.total, paging));
  });

  app.get('/chats', (c) => {
    const me = currentUser(c);
    const v = new Validator();
    const paging = pagination(c, v);
    v.done();
    const found = store.chatsOf(me.id, paging.limit, paging.offset);
    const previews = found.items.map((chat) => toChatPreview(chat, store.members(chat), me.id));
    return c.json(pageOf(previews, found.total, paging));
  });

  app.post('/chats', async (c) => {
    const raw = await readJsonBody(c.req.raw);
    const me = currentUser(c);
    const v = new Validator();
    const body = v.body(raw);
    const userIds = v.uuidList(['body', 'user_ids'], body.user_ids, body);
    const name = v.string(['body', 'name'], body.name, { nullable: true }, body);
    const avatar = v.string(['body', 'avatar'], body.avatar, { nullable: true }, body);
    v.done();
    const created = store.createChat(me.id, userIds!, name ?? null, avatar ?? null);
    // POST /chats serialises the stored row: no computed name for direct chats, null on dedupe.
    return c.json(
      {
        id: created.chat.id,
        is_group: created.chat.isGroup,
        name: created.deduplicated ? null : created.chat.name,
        avatar: created.deduplicated ? null : created.chat.avatar,
        users: created.members.map(toUserPublic),
      },
      201,
    );
  });

  app.get('/chats/:chat_id', (c) => {
    const me = currentUser(c);
    const v = new Validator();
    const chatId = v.uuid(['path', 'chat_id'], c.req.param('chat_id'));
    const { limit, offset } = pagination(c, v);
    v.done();
    const chat = store.memberChat(chatId!, me.id);
    if (!chat) throw new HttpException(404, 'Chat not found');
    const page: ChatWithMessagesPage = {
      chat: toChatDetail(chat, store.members(chat), me.id),
      messages: store.messagePage(chat, limit, offset).map(toMessageOut),
      total: chat.messages.length,
      limit,
      offset,
    };
    return c.json(page);
  });

  app.post('/chats/:chat_id/messages', async (c) => {
    const raw = await readJsonBody(c.req.raw);
    const me = currentUser(c);
    const v = new Validator();
    const chatId = v.uuid(['path', 'chat_id'], c.req.param('chat_id'));
    const body = v.object(['body'], raw);
    const text =
      body && v.string(['body', 'text_content'], body.text_content, { nullable: true, maxLength: 4000 });
    const image = body && v.string(['body', 'image_content'], body.image_content, { nullable: true });
    v.done();
    const chat = store.memberChat(chatId!, me.id);
    if (!chat) throw new HttpException(404, 'Chat not found');
    if (!text && !image) throw new HttpException(400, 'text_content or image_content is required');
    // REST sends are stored only: the real server does not broadcast them over the WebSocket.
    return c.json(toMessageOut(store.addMessage(chat, me.id, text ?? null, image ?? null)), 201);
  });

  app.get('/health', (c) => c.json({ status: 'ok' }));

  for (const path of Object.keys(PATHS))
    app.all(path, (c) => c.json({ detail: 'Method Not Allowed' }, 405, { Allow: PATHS[path]!.join(', ') }));

  app.notFound((c) => c.json({ detail: 'Not Found' }, 404));

  app.onError((error, c) => {
    if (error instanceof RequestValidationError) return c.json({ detail: error.issues }, 422);
    if (error instanceof HttpException)
      return c.json({ detail: error.detail }, error.status as ContentfulStatusCode, error.headers);
    // Starlette's ServerErrorMiddleware: a plain-text 500 for anything uncaught (database errors…).
    return c.text('Internal Server Error', 500);
  });

  return app;
}
