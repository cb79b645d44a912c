import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, login } from '../../test/chats-api/chats-api-test-client.js';
import { type ChatsApiEmulator, startChatsApiEmulator } from './index.js';

let emu: ChatsApiEmulator;
let token: string;
/** `t`: the bearer token to send (default: alice's), `null` for none. */
const get = (path: string, t: string | null = token) => call(emu.url, 'GET', path, { token: t ?? undefined });
const post = (path: string, json: unknown, t: string | null = token) =>
  call(emu.url, 'POST', path, { token: t ?? undefined, json });

beforeEach(async () => {
  emu = await startChatsApiEmulator({
    users: [
      { username: 'alice', password: 'alice-password', firstName: 'Alice', lastName: 'Liddell' },
      { username: 'bob', password: 'bob-password', firstName: 'Bob' },
      { username: 'bobby', password: 'bobby-password' },
      { username: 'carol', password: 'carol-password', lastName: 'Bobson' },
    ],
  });
  token = await login(emu.url, 'alice', 'alice-password');
});
afterEach(() => emu.close());

const id = (username: string) => emu.as(username).user.id;

describe('auth', () => {
  it('registers users (201) and refuses a taken username or email with 400', async () => {
    const created = await post('/register', {
      email: 'dan@example.com',
      username: 'dan',
      password: 'dan-password',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'dan', email: 'dan@example.com', first_name: null });
    const again = await post('/register', {
      email: 'other@example.com',
      username: 'dan',
      password: 'dan-password',
    });
    expect(again).toMatchObject({ status: 400, body: { detail: 'Email or username already in use' } });
  });

  it('reports every invalid register field at once, pydantic style', async () => {
    const res = await post('/register', {
      email: 'not-an-email',
      username: 'ab',
      password: 'short',
      first_name: 3,
    });
    expect(res.status).toBe(422);
    const detail = (res.body as { detail: Array<{ type: string; loc: unknown[] }> }).detail;
    expect(detail.map((d) => [d.type, d.loc.join('.')])).toEqual([
      ['value_error', 'body.email'],
      ['string_too_short', 'body.username'],
      ['string_too_short', 'body.password'],
      ['string_type', 'body.first_name'],
    ]);
  });

  it('logs in with JSON /login or the OAuth2 form /token, by username or email', async () => {
    const byEmail = await post('/login', {
      username_or_email: 'alice@example.com',
      password: 'alice-password',
    });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body).toMatchObject({ token_type: 'bearer' });
    const me = await get('/me', (byEmail.body as { access_token: string }).access_token);
    expect(me.body).toMatchObject({ username: 'alice', first_name: 'Alice', last_name: 'Liddell' });
    const wrong = await call(emu.url, 'POST', '/token', {
      form: { username: 'alice', password: 'nope-nope' },
    });
    expect(wrong).toMatchObject({ status: 401, body: { detail: 'Invalid credentials' } });
  });

  it('answers 422 for a /token form without fields or with a grant_type other than password', async () => {
    const empty = await call(emu.url, 'POST', '/token', { form: {} });
    expect(empty.status).toBe(422);
    expect((empty.body as { detail: Array<{ loc: unknown[] }> }).detail.map((d) => d.loc)).toEqual([
      ['body', 'username'],
      ['body', 'password'],
    ]);
    const grant = await call(emu.url, 'POST', '/token', {
      form: { grant_type: 'client_credentials', username: 'alice', password: 'alice-password' },
    });
    expect(grant.body).toMatchObject({
      detail: [{ type: 'string_pattern_mismatch', loc: ['body', 'grant_type'] }],
    });
  });

  it('answers 401 Not authenticated (with WWW-Authenticate) without a token, Invalid token for a bad one', async () => {
    const none = await get('/me', null);
    expect(none).toMatchObject({ status: 401, body: { detail: 'Not authenticated' } });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(await get('/me', 'not.a.jwt')).toMatchObject({ status: 401, body: { detail: 'Invalid token' } });
  });

  it('checks the token before the parameters, but rejects malformed JSON before both', async () => {
    expect((await get('/chats?limit=0', null)).status).toBe(401);
    expect((await get('/chats?limit=0')).status).toBe(422);
    const malformed = await call(emu.url, 'POST', '/chats', {
      raw: '{"user_ids": [',
      contentType: 'application/json',
    });
    expect(malformed).toMatchObject({
      status: 422,
      body: { detail: [{ type: 'json_invalid', msg: 'JSON decode error' }] },
    });
  });

  it('rejects every token after revokeTokens(), and expired ones when tokens have a lifetime', async () => {
    emu.revokeTokens();
    expect(await get('/me')).toMatchObject({ status: 401, body: { detail: 'Invalid token' } });

    let now = Date.now();
    const timed = await startChatsApiEmulator({
      tokenTtlMs: 60_000,
      now: () => now,
      users: [{ username: 'zed', password: 'zed-password' }],
    });
    try {
      const t = await login(timed.url, 'zed', 'zed-password');
      expect((await call(timed.url, 'GET', '/me', { token: t })).status).toBe(200);
      now += 61_000;
      expect((await call(timed.url, 'GET', '/me', { token: t })).status).toBe(401);
    } finally {
      await timed.close();
    }
  });
});

describe('search', () => {
  it('prefix-matches username, first and last name case-insensitively, exact username first, never the caller', async () => {
    const res = await get('/search?q=BOB');
    expect((res.body as { items: Array<{ username: string }> }).items.map((u) => u.username)).toEqual([
      'bob',
      'bobby',
      'carol',
    ]);
    expect(res.body).toMatchObject({ total: 3, limit: 20, offset: 0 });
    expect((await get('/search?q=ali')).body).toMatchObject({ items: [], total: 0 });
    const paged = await get('/search?q=bob&limit=1&offset=1');
    expect(paged.body).toMatchObject({ items: [{ username: 'bobby' }], total: 3, limit: 1, offset: 1 });
  });

  it('requires q (422 missing) and limits it to 100 characters', async () => {
    expect((await get('/search')).body).toMatchObject({ detail: [{ type: 'missing', loc: ['query', 'q'] }] });
    expect((await get(`/search?q=${'x'.repeat(101)}`)).body).toMatchObject({
      detail: [{ type: 'string_too_long', ctx: { max_length: 100 } }],
    });
  });
});

describe('chats', () => {
  it('creates a direct chat (201, stored name null) and returns the same chat for the same pair', async () => {
    const first = await post('/chats', { user_ids: [id('bob')] });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ is_group: false, name: null, avatar: null });
    expect((first.body as { users: unknown[] }).users).toHaveLength(2);
    const bobToken = emu.tokenFor('bob');
    const again = await post('/chats', { user_ids: [id('alice')] }, bobToken);
    expect(again.status).toBe(201);
    expect((again.body as { id: string }).id).toBe((first.body as { id: string }).id);
  });

  it('makes a group when named or with 2+ others, and never dedupes groups', async () => {
    const named = await post('/chats', {
      user_ids: [id('bob')],
      name: 'Pair',
      avatar: 'https://example.com/a.png',
    });
    expect(named.body).toMatchObject({ is_group: true, name: 'Pair', avatar: 'https://example.com/a.png' });
    const trio = await post('/chats', { user_ids: [id('bob'), id('carol'), id('bob')] });
    expect(trio.body).toMatchObject({ is_group: true, name: null });
    expect((trio.body as { users: unknown[] }).users).toHaveLength(3);
    const trio2 = await post('/chats', { user_ids: [id('bob'), id('carol')] });
    expect((trio2.body as { id: string }).id).not.toBe((trio.body as { id: string }).id);
    const list = await get('/chats');
    const names = (list.body as { items: Array<{ id: string; name: string }> }).items.map((c) => c.name);
    expect(names).toContain('');
  });

  it('refuses chats without another user (400) or with unknown users (400), and bad ids (422)', async () => {
    expect(await post('/chats', { user_ids: [id('alice')] })).toMatchObject({
      status: 400,
      body: { detail: 'At least 1 other user is required' },
    });
    const ghost = 'a0000000-0000-4000-8000-0000000000ff';
    expect(await post('/chats', { user_ids: [ghost] })).toMatchObject({
      status: 400,
      body: { detail: `Users not found: ${ghost}` },
    });
    expect((await post('/chats', { user_ids: ['nope'] })).body).toMatchObject({
      detail: [{ type: 'uuid_parsing', loc: ['body', 'user_ids', 0] }],
    });
    expect((await post('/chats', {})).body).toMatchObject({
      detail: [{ type: 'missing', loc: ['body', 'user_ids'] }],
    });
    expect((await post('/chats', [])).body).toMatchObject({
      detail: [{ type: 'model_attributes_type', loc: ['body'] }],
    });
  });

  it('lists chats by latest message first, chats without messages last, with offset paging and total', async () => {
    const ids: string[] = [];
    for (const user of ['bob', 'bobby', 'carol']) ids.push(emu.as(user).openDirect('alice').id);
    emu.as('carol').sendMessage(ids[2]!, 'first');
    emu.as('bob').sendMessage(ids[0]!, 'second');
    const page = await get('/chats?limit=2');
    const items = (page.body as { items: Array<{ id: string; name: string; last_message: unknown }> }).items;
    expect(items.map((c) => c.id)).toEqual([ids[0], ids[2]]);
    expect(items[0]).toMatchObject({ name: 'Bob', last_message: { text_content: 'second' } });
    expect(items[1]).toMatchObject({ name: 'Bobson' });
    expect(page.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
    const rest = await get('/chats?limit=2&offset=2');
    expect(rest.body).toMatchObject({ items: [{ id: ids[1], name: 'bobby', last_message: null }], total: 3 });
  });
});

describe('history', () => {
  it('pages messages newest first with limit/offset and total, over 100,000 messages', async () => {
    const chat = emu.as('bob').openDirect('alice');
    emu.seedMessages(chat.id, 100_000, 'm', 'bob');
    const newest = await get(`/chats/${chat.id}?limit=3`);
    const body = newest.body as {
      messages: Array<{ text_content: string }>;
      total: number;
      chat: { name: string };
    };
    expect(body.messages.map((m) => m.text_content)).toEqual(['m99999', 'm99998', 'm99997']);
    expect(body).toMatchObject({
      total: 100_000,
      limit: 3,
      offset: 0,
      chat: { name: 'Bob', is_group: false },
    });
    const oldest = await get(`/chats/${chat.id}?limit=100&offset=99998`);
    expect(
      (oldest.body as { messages: Array<{ text_content: string }> }).messages.map((m) => m.text_content),
    ).toEqual(['m1', 'm0']);
    expect((await get(`/chats/${chat.id}?offset=100000`)).body).toMatchObject({
      messages: [],
      total: 100_000,
    });
  });

  it('alternates senders when seeding without a username', async () => {
    const chat = emu.as('bob').openDirect('alice');
    emu.seedMessages(chat.id, 4, 's');
    const res = await get(`/chats/${chat.id}`);
    const senders = (res.body as { messages: Array<{ from_user_id: string }> }).messages.map(
      (m) => m.from_user_id,
    );
    expect(new Set(senders).size).toBe(2);
  });

  it('answers 404 for a chat we are not in, and 422 for a bad id or page size', async () => {
    const theirs = emu.as('bob').openDirect('carol');
    expect(await get(`/chats/${theirs.id}`)).toMatchObject({
      status: 404,
      body: { detail: 'Chat not found' },
    });
    expect((await get('/chats/123')).body).toMatchObject({
      detail: [{ type: 'uuid_parsing', loc: ['path', 'chat_id'] }],
    });
    expect((await get(`/chats/${theirs.id}?limit=101`)).body).toMatchObject({
      detail: [{ type: 'less_than_equal', loc: ['query', 'limit'], ctx: { le: 100 } }],
    });
  });
});

describe('REST send', () => {
  it('stores text and image messages (201 MessageOut)', async () => {
    const chat = emu.as('bob').openDirect('alice');
    const sent = await post(`/chats/${chat.id}/messages`, { text_content: 'héllo' });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      chat_id: chat.id,
      from_user_id: id('alice'),
      text_content: 'héllo',
      seen_by: [],
    });
    const image = await post(`/chats/${chat.id}/messages`, { image_content: 'https://example.com/i.png' });
    expect(image.body).toMatchObject({ text_content: null, image_content: 'https://example.com/i.png' });
  });

  it('answers 400 for an empty message, 422 over 4000 characters (code points), 404 outside the chat', async () => {
    const chat = emu.as('bob').openDirect('alice');
    expect(await post(`/chats/${chat.id}/messages`, { text_content: '' })).toMatchObject({
      status: 400,
      body: { detail: 'text_content or image_content is required' },
    });
    expect((await post(`/chats/${chat.id}/messages`, { text_content: '😀'.repeat(4000) })).status).toBe(201);
    expect((await post(`/chats/${chat.id}/messages`, { text_content: 'x'.repeat(4001) })).body).toMatchObject(
      {
        detail: [{ type: 'string_too_long', loc: ['body', 'text_content'], ctx: { max_length: 4000 } }],
      },
    );
    const theirs = emu.as('bob').openDirect('carol');
    expect((await post(`/chats/${theirs.id}/messages`, { text_content: 'hi' })).status).toBe(404);
  });

  it('fails with a plain-text 500 when a value overflows its database column (image over 2048)', async () => {
    const chat = emu.as('bob').openDirect('alice');
    const res = await post(`/chats/${chat.id}/messages`, {
      image_content: `https://e.com/${'x'.repeat(2048)}`,
    });
    expect(res).toMatchObject({ status: 500, body: 'Internal Server Error' });
  });
});

describe('routing', () => {
  it('answers FastAPI 404 and 405 bodies', async () => {
    expect(await get('/nope')).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
    const wrong = await call(emu.url, 'DELETE', '/chats', { token });
    expect(wrong).toMatchObject({ status: 405, body: { detail: 'Method Not Allowed' } });
    expect((await get('/health')).body).toEqual({ status: 'ok' });
  });
});
