import { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FaultKit } from '@switchboard/testkit/faults';
import { serveWithFaults } from '../shared/serve-with-faults.js';
import { createMicroClock } from './chats-api-clock.js';
import { createIdFactory } from './chats-api-ids.js';
import { type ChatsApiPeer, createChatsApiPeer } from './chats-api-peer.js';
import { chatsApiProfile } from './chats-api-profile.js';
import { createChatsApiRoutes } from './chats-api-routes.js';
import { createChatsApiSocketHub, type WsAuthFailure } from './chats-api-socket-hub.js';
import { createChatsApiStore, type UserRecord } from './chats-api-store.js';
import { createTokenIssuer } from './chats-api-tokens.js';
import { toUserPublic, type UserPublic } from './chats-api-wire.js';

/** A user to create on the emulator (what `POST /register` takes). */
export interface ChatsApiUserInput {
  username: string;
  password: string;
  /** Default: `<username>@example.com`. */
  email?: string;
  firstName?: string | null;
  lastName?: string | null;
  avatar?: string | null;
}

/** Options of {@link startChatsApiEmulator}. */
export interface ChatsApiEmulatorOptions {
  /** A fixed-window rate limit on every HTTP request and WebSocket handshake (see `chatsApiProfile`). */
  rateLimit?: { limit: number; windowMs: number };
  /**
   * Lifetime of issued tokens in ms, as the server's production mode (`JWT_EXPIRES_MINUTES`) sets an
   * `exp` claim. Default: none, as in the server's DEV mode (the default there too).
   */
  tokenTtlMs?: number;
  /** How a refused WebSocket handshake looks (default `'close-1008'`). */
  wsAuthFailure?: WsAuthFailure;
  /** Clock in epoch milliseconds, for timestamps and token expiry. Default `Date.now`. */
  now?: () => number;
  /** Users to create at start. */
  users?: ChatsApiUserInput[];
}

/** A running chats API emulator. */
export interface ChatsApiEmulator {
  /** Base URL of the REST API, `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  /** URL of the all-chats WebSocket, `ws://127.0.0.1:<port>/ws` (add `?token=`). */
  readonly wsUrl: string;
  /** Fault injection and rate limiting; rules also apply to WebSocket handshakes (path `/ws`…). */
  readonly faults: FaultKit;
  /** Creates a user, as `POST /register` would. @throws {Error} when the username or email is taken. */
  addUser(input: ChatsApiUserInput): UserPublic;
  /** The in-process API of another user (creates chats, sends messages over "their" WebSocket…). */
  as(username: string): ChatsApiPeer;
  /**
   * Stores `count` messages in a chat at once, oldest first, texts `${prefix}${i}` for i in
   * 0..count-1, from `fromUsername` or, without it, from each member in turn. Not broadcast (a
   * database seed, not a send). Fast enough for 100,000 messages.
   */
  seedMessages(chatId: string, count: number, prefix: string, fromUsername?: string): void;
  /** A valid access token for the user, as `POST /token` would issue. */
  tokenFor(username: string): string;
  /** Invalidates every token issued so far (a new `JWT_SECRET`): their next request gets 401. */
  revokeTokens(): void;
  /** Drops every WebSocket without a close frame (clients see 1006), to exercise reconnects. */
  dropConnections(): void;
  /** WebSockets currently open. */
  readonly openSockets: number;
  /** Stops the server and closes every connection and WebSocket. */
  close(): Promise<void>;
}

/**
 * Starts a local, faithful model of the FastAPI chats server (`ITAM Chat Backend` 0.1.0): the REST
 * API of its OpenAPI document and the `/ws` + `/ws/chats/{chat_id}` WebSockets of its AsyncAPI
 * document, including the quirk that REST sends are not broadcast. Listens on 127.0.0.1, port 0.
 */
export async function startChatsApiEmulator(
  options: ChatsApiEmulatorOptions = {},
): Promise<ChatsApiEmulator> {
  const store = createChatsApiStore({ nextId: createIdFactory(), clock: createMicroClock(options.now) });
  const tokens = createTokenIssuer({ ttlMs: options.tokenTtlMs, now: options.now });
  const hub = createChatsApiSocketHub({ store, tokens, authFailure: options.wsAuthFailure ?? 'close-1008' });
  const { server, faults, port, close } = await serveWithFaults(
    createChatsApiRoutes({ store, tokens }).fetch,
    {
      profile: chatsApiProfile,
      rateLimit: options.rateLimit,
    },
  );
  // Upgraded sockets leave the HTTP server's bookkeeping (`closeAllConnections` misses them).
  const upgraded = new Set<Socket>();
  server.on('upgrade', async (req, socket: Socket, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    // Give the fault kit a response bound to the raw socket, so handshakes can be faulted too.
    const res = new ServerResponse(req);
    res.assignSocket(socket);
    if (await faults.intercept(req, res)) {
      res.once('finish', () => socket.end());
      return;
    }
    res.detachSocket(socket);
    hub.upgrade(req, socket, head);
  });

  const userNamed = (username: string): UserRecord => {
    const user = store.userByUsername(username);
    if (!user) throw new Error(`Unknown user: ${username}`);
    return user;
  };
  const addUser = (input: ChatsApiUserInput) =>
    toUserPublic(store.addUser({ ...input, email: input.email ?? `${input.username}@example.com` }));
  for (const user of options.users ?? []) addUser(user);

  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    faults,
    addUser,
    as: (username) => createChatsApiPeer(store, hub, userNamed(username)),
    seedMessages(chatId, count, prefix, fromUsername) {
      const chat = store.chat(chatId);
      if (!chat) throw new Error(`Unknown chat: ${chatId}`);
      const senders = fromUsername ? [userNamed(fromUsername).id] : chat.memberIds;
      for (let i = 0; i < count; i += 1)
        store.addMessage(chat, senders[i % senders.length]!, `${prefix}${i}`, null);
    },
    tokenFor: (username) => tokens.issue(userNamed(username).id),
    revokeTokens: () => tokens.revokeAll(),
    dropConnections: () => hub.dropConnections(),
    get openSockets() {
      return hub.openSockets;
    },
    async close() {
      await hub.close();
      for (const socket of upgraded) socket.destroy();
      await close();
    },
  };
}
