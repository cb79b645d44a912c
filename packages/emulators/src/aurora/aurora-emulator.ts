import type { FaultKit } from '@switchboard/testkit/faults';
import { Hono } from 'hono';
import { serveWithFaults } from '../shared/serve-with-faults.js';
import { registerAuroraCharacterRoutes } from './aurora-character-routes.js';
import { registerAuroraChatRoutes } from './aurora-chat-routes.js';
import type { AuroraApiVersion, AuroraEnv } from './aurora-http.js';
import { registerAuroraMessageRoutes } from './aurora-message-routes.js';
import { type AuroraModel, defaultAuroraModel } from './aurora-model.js';
import { auroraProfile, fastifyErrorBody } from './aurora-profile.js';
import {
  type AuroraCharacterRecord,
  type AuroraCharacterSeed,
  type AuroraChatRecord,
  type AuroraMessageRecord,
  type AuroraRole,
  AuroraStore,
  type AuroraUserSeed,
} from './aurora-store.js';
import { registerAuroraUserRoutes } from './aurora-user-routes.js';

/** Options of {@link startAuroraEmulator}. */
export interface AuroraEmulatorOptions {
  /** Accounts to create. Default: one, `aurora-user` / `aurora-password`. */
  users?: AuroraUserSeed[];
  /** Characters to create (ids 1, 2, … in this order). Default: Aurora, Ada Lovelace and Captain Nemo. */
  characters?: AuroraCharacterSeed[];
  /** The fake model that writes replies. Default: {@link defaultAuroraModel}. */
  model?: AuroraModel;
  /** Pause before each streamed chunk, in milliseconds. Default 0. */
  chunkDelayMs?: number;
  /**
   * Extra pause before a reply's first chunk, in milliseconds, with the `200 text/event-stream`
   * headers already sent (a model slow to produce its first token). Default 0.
   */
  replyStartDelayMs?: number;
  /** Messages (`POST /message`) each user may send. Default 10,000. */
  quota?: number;
  /** A window rate limit on every request, answered like Aurora's Fastify limiter. */
  rateLimit?: { limit: number; windowMs: number };
  /** Clock for message timestamps, epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** A running Aurora emulator. */
export interface AuroraEmulator {
  /** Origin, e.g. `http://127.0.0.1:49152`. Both API profiles live under it: `/api/v11` and `/api/v5`. */
  readonly url: string;
  /** Fault injection and rate limiting (the shared kit, with {@link auroraProfile}). */
  readonly faults: FaultKit;
  /** Every character, ascending ids. */
  readonly characters: readonly AuroraCharacterRecord[];
  /**
   * Creates an account and returns a valid access token for it.
   * @throws {Error} when the username or email is taken.
   */
  addUser(seed: AuroraUserSeed): { username: string; accessToken: string };
  addCharacter(seed: AuroraCharacterSeed): AuroraCharacterRecord;
  /**
   * Initializes a chat as `POST /chat` does (the initial response becomes its first message); returns its id.
   * @throws {Error} when the user or character does not exist.
   */
  createChat(username: string, characterId: number): number;
  /** The chats of `username`, oldest first. */
  chats(username: string): AuroraChatRecord[];
  /**
   * Appends a message to a chat (the character speaking unprompted, with role `'assistant'`).
   * @throws {Error} when the chat does not exist.
   */
  addMessage(chatId: number, role: AuroraRole, content: string): AuroraMessageRecord;
  /**
   * Appends `count` messages `${prefix}0` … `${prefix}${count - 1}`, oldest first, alternating the
   * user's and the character's turns (starting with the user). Cheap enough for 100,000 messages.
   * @throws {Error} when the chat does not exist.
   */
  seedMessages(chatId: number, count: number, prefix: string): void;
  /** Every stored message of a chat, oldest first. */
  messages(chatId: number): AuroraMessageRecord[];
  /**
   * Makes the next `POST /message` stream fail mid-reply: `afterChunks` chunks are sent, then the
   * connection is destroyed and the reply is not stored (the user's turn is). Calls queue up.
   */
  failNextStream(options: { afterChunks: number }): void;
  /** Uses up the user's message quota: sending then answers 429 (v11) or 402 (v5) with the documented literal. */
  exhaustQuota(username: string): void;
  /** Invalidates every access token of the user (an expired session): their calls answer 401. */
  revokeTokens(username: string): void;
  /** Closes the server and every open connection, including streams in progress. */
  close(): Promise<void>;
}

const DEFAULT_CHARACTERS: AuroraCharacterSeed[] = [
  {
    name: 'Aurora',
    description: 'The official Aurora assistant.',
    initialResponse: "Hi! I'm Aurora. What would you like to talk about?",
    isOfficial: true,
  },
  {
    name: 'Ada Lovelace',
    description: 'Mathematician and first programmer.',
    initialResponse: 'Good day. Shall we discuss the Analytical Engine?',
    isOfficial: true,
  },
  {
    name: 'Captain Nemo',
    description: 'Commander of the Nautilus.',
    initialResponse: 'Welcome aboard the Nautilus.',
  },
];

const VERSIONS: readonly AuroraApiVersion[] = ['v11', 'v5'];

/**
 * Starts a local Aurora chatbot API on 127.0.0.1 (a free port), serving the current profile under
 * `/api/v11` and the seed-era profile under `/api/v5` over the same accounts, characters and chats.
 * See docs/adapters/aurora.md for the behaviour the spec leaves to us (timestamps in ms, tokens valid
 * until revoked, turns persisted by `POST /message`, history order and paging).
 */
export async function startAuroraEmulator(options: AuroraEmulatorOptions = {}): Promise<AuroraEmulator> {
  const store = new AuroraStore(options.now ?? Date.now, options.quota ?? 10_000);
  for (const user of options.users ?? [{ username: 'aurora-user', password: 'aurora-password' }])
    store.addUser(user);
  for (const character of options.characters ?? DEFAULT_CHARACTERS) store.addCharacter(character);

  const closing = new AbortController();
  const streamCuts: number[] = [];
  const app = new Hono<AuroraEnv>();
  for (const version of VERSIONS) {
    const api = new Hono<AuroraEnv>();
    registerAuroraUserRoutes(api, store, version);
    registerAuroraCharacterRoutes(api, store, version);
    registerAuroraChatRoutes(api, store, version);
    registerAuroraMessageRoutes(api, store, version, {
      model: options.model ?? defaultAuroraModel,
      chunkDelayMs: options.chunkDelayMs ?? 0,
      replyStartDelayMs: options.replyStartDelayMs ?? 0,
      takeStreamCut: () => streamCuts.shift(),
      signal: closing.signal,
    });
    app.route(`/api/${version}`, api);
  }
  app.notFound((c) => c.json(fastifyErrorBody(404, `Route ${c.req.method}:${c.req.path} not found`), 404));

  const { faults, port, close } = await serveWithFaults(app.fetch, {
    profile: auroraProfile,
    rateLimit: options.rateLimit,
  });

  const chatOrThrow = (chatId: number) => {
    if (!store.chat(chatId)) throw new Error(`Aurora chat ${chatId} does not exist`);
    return chatId;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    get characters() {
      return store.characters;
    },
    addUser(seed) {
      const { username } = store.addUser(seed);
      return { username, accessToken: store.issueToken(username) };
    },
    addCharacter: (seed) => store.addCharacter(seed),
    createChat(username, characterId) {
      const character = store.character(characterId);
      if (!store.user(username) || !character)
        throw new Error(`Aurora user ${username} or character ${characterId} does not exist`);
      return store.createChat(username, character).id;
    },
    chats: (username) => store.chatsOf(username),
    addMessage: (chatId, role, content) => store.addMessage(chatId, role, content),
    seedMessages(chatId, count, prefix) {
      chatOrThrow(chatId);
      for (let i = 0; i < count; i += 1)
        store.addMessage(chatId, i % 2 === 0 ? 'user' : 'assistant', `${prefix}${i}`);
    },
    messages: (chatId) => store.history(chatId),
    failNextStream({ afterChunks }) {
      streamCuts.push(afterChunks);
    },
    exhaustQuota(username) {
      const user = store.user(username);
      if (!user) throw new Error(`Aurora user ${username} does not exist`);
      user.quotaUsed = user.quotaMax;
    },
    revokeTokens: (username) => store.revokeTokens(username),
    async close() {
      closing.abort();
      await close();
    },
  };
}
