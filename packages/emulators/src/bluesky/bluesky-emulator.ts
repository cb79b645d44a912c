import type { FaultKit } from '@switchboard/testkit/faults';
import { serveWithFaults } from '../shared/serve-with-faults.js';
import { type BlueskyAccountSeed, BlueskyAccounts } from './bluesky-accounts.js';
import { type BlueskyPeer, createBlueskyPeer } from './bluesky-peer.js';
import { blueskyProfile } from './bluesky-profile.js';
import { convoMethods } from './bluesky-routes-convos.js';
import { groupMethods } from './bluesky-routes-groups.js';
import { messageMethods } from './bluesky-routes-messages.js';
import { serverMethods } from './bluesky-routes-server.js';
import { BlueskySessions } from './bluesky-sessions.js';
import { BlueskyChatStore, type BlueskyStoreStats } from './bluesky-store.js';
import { createTidClock } from './bluesky-tid.js';
import { BlueskyViews } from './bluesky-views.js';
import { createXrpcApp } from './bluesky-xrpc-router.js';

/** Options of {@link startBlueskyEmulator}. */
export interface BlueskyEmulatorOptions {
  /** Accounts to create at start. */
  accounts?: BlueskyAccountSeed[];
  /**
   * Window rate limit on every request, with `RateLimit-*` headers and 429s. Default: none.
   * The real PDS allows 3000 per 5 minutes (`BLUESKY_PDS_RATE_LIMIT`).
   */
  rateLimit?: { limit: number; windowMs: number };
  /** Access-token lifetime in milliseconds. Default 2 hours (the PDS's). */
  accessTokenTtlMs?: number;
  /** Refresh-token lifetime in milliseconds. Default 90 days (the PDS's). */
  refreshTokenTtlMs?: number;
  /** DID of the chat service expected in `atproto-proxy`. Default `did:web:api.bsky.chat`. */
  chatServiceDid?: string;
  /** Clock in epoch milliseconds (token expiry, `sentAt`, ids). Default `Date.now`. */
  now?: () => number;
}

/** Sizes of the emulator's state. */
export interface BlueskyEmulatorStats extends BlueskyStoreStats {
  accounts: number;
}

/** A running Bluesky emulator: a PDS that proxies `chat.bsky.convo.*` to an emulated chat service. */
export interface BlueskyEmulator {
  /** Base URL, e.g. `http://127.0.0.1:50123` (the service and PDS URL; XRPC under `/xrpc/`). */
  readonly url: string;
  /** Fault injection and rate limiting for HTTP requests (not for the in-process peers). */
  readonly faults: FaultKit;
  /** The `atproto-proxy` header value chat calls need, e.g. `did:web:api.bsky.chat#bsky_chat`. */
  readonly proxyHeader: string;
  /** Creates an account. Throws `Error` on a malformed or taken handle/DID. */
  addAccount(seed: BlueskyAccountSeed): { did: string; handle: string };
  /** Acts in-process as an existing account (handle or DID). Throws `Error` for an unknown one. */
  as(handleOrDid: string): BlueskyPeer;
  /**
   * Appends `count` messages with texts `${prefix}0` … `${prefix}${count - 1}` (oldest first) to a
   * convo, from `fromHandle` or alternately from both members. Seeded history is read and writes no
   * getLog events; it is cheap enough for 100,000-message benchmarks.
   */
  seedMessages(convoId: string, count: number, prefix: string, fromHandle?: string): void;
  /** Counts of accounts, convos, messages and log entries. */
  stats(): BlueskyEmulatorStats;
  /** Stops listening and destroys every open connection. Idempotent. */
  close(): Promise<void>;
}

const TWO_HOURS_MS = 2 * 60 * 60 * 1000;
const NINETY_DAYS_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * Starts the Bluesky emulator on 127.0.0.1 (random port): `com.atproto.server.*Session`,
 * `com.atproto.identity.resolveHandle`, the convo methods of `chat.bsky.convo.*` (direct and group
 * convos) and the group methods of `chat.bsky.group.*`, with the
 * PDS's auth, proxy-header and error behaviour (see `specs/bluesky-chat.md`).
 */
export async function startBlueskyEmulator(options: BlueskyEmulatorOptions = {}): Promise<BlueskyEmulator> {
  const now = options.now ?? Date.now;
  const chatServiceDid = options.chatServiceDid ?? 'did:web:api.bsky.chat';
  const accounts = new BlueskyAccounts();
  const sessions = new BlueskySessions(now, {
    accessTokenTtlMs: options.accessTokenTtlMs ?? TWO_HOURS_MS,
    refreshTokenTtlMs: options.refreshTokenTtlMs ?? NINETY_DAYS_MS,
  });
  const store = new BlueskyChatStore(accounts, now, createTidClock(now));
  const views = new BlueskyViews(accounts);
  for (const seed of options.accounts ?? []) accounts.add(seed);

  let url = '';
  const app = createXrpcApp({
    sessions,
    chatServiceDid,
    methods: {
      ...serverMethods({ accounts, sessions, pdsUrl: () => url }),
      ...convoMethods({ store, views }),
      ...messageMethods({ store, views }),
      ...groupMethods({ store, views }),
    },
  });
  const { faults, port, close } = await serveWithFaults(app.fetch, {
    profile: blueskyProfile,
    rateLimit: options.rateLimit,
  });
  url = `http://127.0.0.1:${port}`;

  return {
    url,
    faults,
    proxyHeader: `${chatServiceDid}#bsky_chat`,
    addAccount: (seed) => {
      const { did, handle } = accounts.add(seed);
      return { did, handle };
    },
    as: (handleOrDid) => createBlueskyPeer(accounts.get(handleOrDid), accounts, store),
    seedMessages: (convoId, count, prefix, fromHandle) =>
      store.seed(convoId, count, prefix, fromHandle === undefined ? undefined : accounts.get(fromHandle).did),
    stats: () => ({ accounts: accounts.size, ...store.stats() }),
    close,
  };
}
