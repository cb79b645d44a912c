import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { ContractPeer } from '../contract-types.js';
import { createFaultKit, type FaultKit } from '../faults/index.js';
import { memoryProfile } from './memory-profile.js';
import { createMemoryRoutes } from './memory-routes.js';
import { createMemorySessions } from './memory-sessions.js';
import { createMemoryStore } from './memory-store.js';

/** Options of {@link startMemoryBackend}. */
export interface MemoryBackendOptions {
  /** The API token the adapter logs in with (default: a random `mem_token_…`). */
  token?: string;
  /** Lifetime of an access token, in ms (default 15 minutes); expired ones get 401 `token_expired`. */
  accessTokenTtlMs?: number;
  /** A window rate limit on every request, answered with `RateLimit-*` headers and 429s. */
  rateLimit?: { limit: number; windowMs: number };
}

/** The other party of the memory backend, played in-process (no HTTP, no adapter). */
export type MemoryPeer = Required<ContractPeer>;

/** A running memory chat backend. */
export interface MemoryBackend {
  /** Base URL, e.g. `http://127.0.0.1:53211`. */
  readonly url: string;
  /** The API token `createMemoryAdapter` logs in with. A secret: it must never show up in an error. */
  readonly token: string;
  /** Fault injection and rate limiting on every request. */
  readonly faults: FaultKit;
  /** The other party: handle `peer`, starts a direct conversation with us and writes in it. */
  readonly peer: MemoryPeer;
  /** Three more parties (handles `peer2`…`peer4`), each with their own direct conversation with us. */
  readonly peers: MemoryPeer[];
  /** Every session access/refresh token the backend issued so far. */
  issuedSecrets(): string[];
  /** Closes the server, every connection and every pending long-poll. */
  close(): Promise<void>;
}

const SELF = { id: 'user_self', handle: 'me', displayName: 'Me' };
const PEER = { id: 'user_peer', handle: 'peer', displayName: 'Peer' };
const MORE_PEERS = [2, 3, 4].map((n) => ({
  id: `user_peer${n}`,
  handle: `peer${n}`,
  displayName: `Peer ${n}`,
}));

/**
 * Starts the memory chat backend on `127.0.0.1` (random port): a small REST API (`/v1/sessions`,
 * `/v1/conversations…`, `/v1/events` long-poll) over in-memory state, with the shared fault kit in
 * front. It is the provider half of the reference pair; `createMemoryAdapter` is the adapter half.
 * It imports nothing from `@switchboard/core`: it models a provider, not an adapter.
 */
export async function startMemoryBackend(options: MemoryBackendOptions = {}): Promise<MemoryBackend> {
  const token = options.token ?? `mem_token_${randomBytes(16).toString('hex')}`;
  const store = createMemoryStore();
  store.addUser(SELF);
  store.addUser(PEER);
  for (const user of MORE_PEERS) store.addUser(user);
  const sessions = createMemorySessions({
    apiToken: token,
    userId: SELF.id,
    accessTokenTtlMs: options.accessTokenTtlMs ?? 15 * 60_000,
  });
  const faults = createFaultKit({
    profile: memoryProfile,
    ...(options.rateLimit && { rateLimit: options.rateLimit }),
  });
  const listener = getRequestListener(createMemoryRoutes(store, sessions).fetch);
  // Telegram-style clients may put the API token in the path (`/bot<token>/v1/…`): served the same.
  const tokenPrefix = `/bot${token}/`;
  const server = createServer(async (req, res) => {
    if (await faults.intercept(req, res)) return;
    if (req.url?.startsWith(tokenPrefix)) req.url = req.url.slice(tokenPrefix.length - 1);
    await listener(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const peerOf = (user: typeof PEER): MemoryPeer => ({
    participant: user.handle,
    displayName: user.displayName,
    async startConversation() {
      return store.open(user.id, [SELF.id], null).id;
    },
    async send(conversationId, text) {
      store.post(user.id, conversationId, { text });
    },
    async seedHistory(conversationId, count, prefix) {
      for (let i = 0; i < count; i += 1) store.post(user.id, conversationId, { text: `${prefix}${i}` });
    },
    async readMessages(conversationId) {
      const conversation = store.conversation(user.id, conversationId);
      const readUpTo = conversation.readUpTo.get(SELF.id) ?? 0;
      return conversation.messages.map((message) => ({
        id: message.id,
        text: message.text,
        fromSelf: message.senderId === SELF.id,
        deleted: message.deleted,
        reactions: message.reactions.map((r) => ({ value: r.value, fromSelf: r.userId === SELF.id })),
        attachments: message.attachments.map((a) => ({
          kind: a.kind,
          ...(a.name !== null && { name: a.name }),
        })),
        replyToId: message.replyToId,
        edited: message.editedAt !== null,
        readBySelf: message.seq <= readUpTo,
      }));
    },
    async edit(conversationId, messageId, text) {
      store.edit(user.id, conversationId, messageId, text);
    },
    async deleteMessage(conversationId, messageId) {
      store.remove(user.id, conversationId, messageId);
    },
    async react(conversationId, messageId, value) {
      store.react(user.id, conversationId, messageId, value, true);
    },
    async unreact(conversationId, messageId, value) {
      store.react(user.id, conversationId, messageId, value, false);
    },
    async markRead(conversationId, messageId) {
      store.markRead(user.id, conversationId, messageId);
    },
  });
  const peer = peerOf(PEER);

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    faults,
    peer,
    peers: MORE_PEERS.map(peerOf),
    issuedSecrets: () => sessions.issued(),
    async close() {
      store.events.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
