import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  call,
  closeCodeOf,
  type Frame,
  openSocket,
  type TestSocket,
} from '../../test/chats-api/chats-api-test-client.js';
import { type ChatsApiEmulator, startChatsApiEmulator } from './index.js';

let emu: ChatsApiEmulator;
const sockets: TestSocket[] = [];

beforeEach(async () => {
  emu = await startChatsApiEmulator({
    users: [
      { username: 'alice', password: 'alice-password' },
      { username: 'bob', password: 'bob-password' },
      { username: 'carol', password: 'carol-password' },
    ],
  });
});
afterEach(async () => {
  await emu.close();
  sockets.length = 0;
});

const connect = async (username: string, path = '/ws') => {
  const socket = await openSocket(`${emu.url.replace('http', 'ws')}${path}?token=${emu.tokenFor(username)}`);
  sockets.push(socket);
  return socket;
};
const isMessage = (text: string) => (f: Frame) =>
  f.type === 'message' && (f.message as { text_content: string }).text_content === text;
/** Sends a ping and waits for its pong: every frame the server sent before it has arrived. */
const settle = async (socket: TestSocket) => {
  const before = socket.frames.filter((f) => f.type === 'pong').length;
  socket.send({ type: 'ping' });
  await socket.next(() => socket.frames.filter((f) => f.type === 'pong').length > before);
};

describe('handshake', () => {
  it('closes with 1008 without a token, with a bad token, and on a chat we are not in', async () => {
    const wsUrl = emu.url.replace('http', 'ws');
    expect(await closeCodeOf(`${wsUrl}/ws`)).toBe(1008);
    expect(await closeCodeOf(`${wsUrl}/ws?token=bad`)).toBe(1008);
    const theirs = emu.as('bob').openDirect('carol');
    expect(await closeCodeOf(`${wsUrl}/ws/chats/${theirs.id}?token=${emu.tokenFor('alice')}`)).toBe(1008);
    expect(await closeCodeOf(`${wsUrl}/ws/chats/not-a-uuid?token=${emu.tokenFor('alice')}`)).toBe(1008);
  });

  it('accepts the token in an Authorization header', async () => {
    const socket = await openSocket(emu.wsUrl, {
      headers: { authorization: `Bearer ${emu.tokenFor('alice')}` },
    });
    socket.send({ type: 'ping' });
    expect(await socket.next()).toEqual({ type: 'pong' });
    await socket.close();
  });

  it("answers a refused handshake with HTTP 403 in wsAuthFailure: 'http-403' mode", async () => {
    const strict = await startChatsApiEmulator({ wsAuthFailure: 'http-403' });
    try {
      await expect(openSocket(`${strict.wsUrl}?token=bad`)).rejects.toThrow('handshake answered 403');
    } finally {
      await strict.close();
    }
  });

  it('lets the fault kit fail handshakes (503) and drops sockets on dropConnections()', async () => {
    emu.faults.inject({ fault: { kind: 'status', status: 503 }, match: { path: '/ws' } });
    await expect(connect('alice')).rejects.toThrow('handshake answered 503');
    const socket = await connect('alice');
    expect(emu.openSockets).toBe(1);
    emu.dropConnections();
    expect(await socket.closed).toBe(1006);
  });
});

describe('/ws events', () => {
  it('answers ping with pong', async () => {
    const socket = await connect('alice');
    socket.send({ type: 'ping' });
    expect(await socket.next()).toEqual({ type: 'pong' });
  });

  it('broadcasts a message sent on the socket to every subscriber, the sender included', async () => {
    const chat = emu.as('bob').openDirect('alice');
    const alice = await connect('alice');
    const bob = await connect('bob');
    alice.send({ type: 'message', chat_id: chat.id, text_content: 'hello' });
    const echo = await alice.next(isMessage('hello'));
    const received = await bob.next(isMessage('hello'));
    expect(received).toEqual(echo);
    expect(echo).toMatchObject({
      chat_id: chat.id,
      message: { chat_id: chat.id, from_user_id: emu.as('alice').user.id, seen_by: [] },
    });
  });

  it('delivers a peer send exactly like a socket send, but never a REST send', async () => {
    const chat = emu.as('bob').openDirect('alice');
    const alice = await connect('alice');
    emu.as('bob').sendMessage(chat.id, 'over rest', { via: 'rest' });
    const rest = await call(emu.url, 'POST', `/chats/${chat.id}/messages`, {
      token: emu.tokenFor('bob'),
      json: { text_content: 'also rest' },
    });
    expect(rest.status).toBe(201);
    emu.as('bob').sendMessage(chat.id, 'over ws');
    await alice.next(isMessage('over ws'));
    await settle(alice);
    expect(alice.frames.filter((f) => f.type === 'message')).toHaveLength(1);
  });

  it('does not subscribe to chats created after connect until asked, and stops after unsubscribe', async () => {
    const alice = await connect('alice');
    const chat = emu.as('carol').openDirect('alice');
    emu.as('carol').sendMessage(chat.id, 'unseen');
    alice.send({ type: 'subscribe', chat_id: chat.id });
    expect(await alice.next((f) => f.type === 'subscribed')).toEqual({
      type: 'subscribed',
      chat_id: chat.id,
    });
    emu.as('carol').sendMessage(chat.id, 'seen live');
    await alice.next(isMessage('seen live'));
    alice.send({ type: 'unsubscribe', chat_id: chat.id });
    expect(await alice.next((f) => f.type === 'unsubscribed')).toEqual({
      type: 'unsubscribed',
      chat_id: chat.id,
    });
    emu.as('carol').sendMessage(chat.id, 'after unsubscribe');
    await settle(alice);
    const texts = alice.frames
      .filter((f) => f.type === 'message')
      .map((f) => (f.message as { text_content: string }).text_content);
    expect(texts).toEqual(['seen live']);
  });

  it("answers the server's error events", async () => {
    const theirs = emu.as('bob').openDirect('carol');
    const mine = emu.as('bob').openDirect('alice');
    const alice = await connect('alice');
    const errors = async (frame: unknown) => {
      const count = alice.frames.length;
      if (typeof frame === 'string') alice.sendRaw(frame);
      else alice.send(frame);
      return (await alice.next((f) => alice.frames.indexOf(f) >= count)).error;
    };
    expect(await errors('{nope')).toBe('Invalid JSON');
    expect(await errors({ type: 'message', text_content: 'x' })).toBe('chat_id is required');
    expect(await errors({ type: 'subscribe', chat_id: theirs.id })).toBe('Not a member of chat');
    expect(await errors({ type: 'message', chat_id: mine.id, text_content: '' })).toBe(
      'text_content or image_content required',
    );
    expect(await errors({ type: 'dance' })).toBe('Unknown event type');
  });

  it('closes with 1011 when the frame makes the server handler raise (text over 4000 characters)', async () => {
    const chat = emu.as('bob').openDirect('alice');
    const alice = await connect('alice');
    alice.send({ type: 'message', chat_id: chat.id, text_content: 'x'.repeat(4001) });
    expect(await alice.closed).toBe(1011);
  });

  it('records seen events in seen_by and broadcasts them; a batch with an already-seen id records nothing', async () => {
    const chat = emu.as('bob').openDirect('alice');
    const first = emu.as('bob').sendMessage(chat.id, 'one');
    const second = emu.as('bob').sendMessage(chat.id, 'two');
    const alice = await connect('alice');
    const bob = await connect('bob');
    alice.send({ type: 'seen', chat_id: chat.id, message_ids: [first.id] });
    const seen = await bob.next((f) => f.type === 'seen');
    expect(seen).toEqual({
      type: 'seen',
      chat_id: chat.id,
      user_id: emu.as('alice').user.id,
      message_ids: [first.id],
    });
    alice.send({ type: 'seen', chat_id: chat.id, message_ids: [first.id, second.id] });
    await alice.next((f) => f.type === 'seen' && (f.message_ids as string[]).length === 2);
    const history = await call(emu.url, 'GET', `/chats/${chat.id}`, { token: emu.tokenFor('bob') });
    const messages = (history.body as { messages: Array<{ id: string; seen_by: unknown[] }> }).messages;
    expect(messages.find((m) => m.id === first.id)?.seen_by).toHaveLength(1);
    expect(messages.find((m) => m.id === second.id)?.seen_by).toHaveLength(0);
  });
});

describe('/ws/chats/{chat_id}', () => {
  it('broadcasts without a top-level chat_id, also to /ws subscribers, and knows no subscribe', async () => {
    const chat = emu.as('bob').openDirect('alice');
    const pinned = await connect('alice', `/ws/chats/${chat.id}`);
    const all = await connect('bob');
    pinned.send({ type: 'message', chat_id: 'ignored', text_content: 'pinned' });
    expect(Object.keys(await all.next(isMessage('pinned'))).sort()).toEqual(['message', 'type']);
    emu.as('bob').sendMessage(chat.id, 'from bob');
    expect(await pinned.next(isMessage('from bob'))).toMatchObject({ chat_id: chat.id });
    emu.as('bob').sendMessage(chat.id, 'chat socket', { via: 'chat-socket' });
    expect((await all.next(isMessage('chat socket'))).chat_id).toBeUndefined();
    pinned.send({ type: 'subscribe', chat_id: chat.id });
    expect(await pinned.next((f) => f.type === 'error')).toEqual({
      type: 'error',
      error: 'Unknown event type',
    });
  });
});

describe('close()', () => {
  it('closes every socket so the process can exit', async () => {
    const socket = await connect('alice');
    await emu.close();
    expect(await socket.closed).toBe(1006);
    emu = await startChatsApiEmulator();
  });
});
