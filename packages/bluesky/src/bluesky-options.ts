/**
 * The adapter's options, and how they are resolved (explicit option, then environment, then an error).
 * @module
 */
import { invalidRequest, type StateStore } from '@switchboard/core';
import type { HttpClientOptions, RetryOptions } from '@switchboard/core/http';

/** Options of `createBlueskyAdapter`. */
export interface BlueskyAdapterOptions {
  /** Handle (`alice.bsky.social`), DID or email to log in with. Default: env `BLUESKY_IDENTIFIER`. */
  identifier?: string;
  /**
   * An app password with "Allow access to your direct messages" checked (the account password works
   * too, but do not use it). Default: env `BLUESKY_APP_PASSWORD`.
   */
  password?: string;
  /**
   * Where to log in (`com.atproto.server.createSession`, `refreshSession`): the entryway or your PDS.
   * Other calls go to the PDS named in the session's DID document. Default `'https://bsky.social'`.
   */
  service?: string;
  /** DID of the chat service, sent as `atproto-proxy: <chatServiceDid>#bsky_chat`. Default `'did:web:api.bsky.chat'`. */
  chatServiceDid?: string;
  /** Milliseconds between two `getLog` polls while subscribed and idle (default 5 000). */
  pollIntervalMs?: number;
  /** Deadline of each HTTP attempt, in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Retry policy of the HTTP toolkit (delays in milliseconds), or `false` for no retries. */
  retry?: RetryOptions | false;
  /** Your own axios instance (proxies, interceptors). */
  httpClient?: HttpClientOptions['axiosInstance'];
  /**
   * Where the `getLog` cursor, the poller lease and delivered revs are kept, so a restarted
   * subscription resumes and, with a shared store (`@switchboard/redis`), only one instance polls an
   * account (default: in memory). See docs/running-several-instances.md.
   */
  store?: StateStore;
  /**
   * With a shared store, which instances' listeners get each realtime event: `'once'` (default: the
   * instance holding the account's poller lease) or `'broadcast'` (every instance, via the store's
   * pub/sub).
   */
  realtimeDelivery?: 'once' | 'broadcast';
  /**
   * Keep the account's rate-limit window (learned from the PDS's `RateLimit-*` headers and 429s) in
   * `store`, so that every instance sending through this account waits on the same window and N
   * instances together stay within the limit. Default `true` when `store` is given (one store read
   * per request); without `store` the window lives in this process. Key:
   * `bluesky:{<identifier>}:ratelimit`. See docs/running-several-instances.md.
   */
  sharedRateLimit?: boolean;
  /**
   * Keep the session (access and refresh tokens: secret material) in `store`, so that instances and
   * restarts reuse one session — `createSession` runs only when the store has none — and exactly
   * one instance refreshes it, under the account's lease, while the others pick up the new tokens.
   * Default `true` when `store` is given. Protect the store accordingly (see
   * docs/running-several-instances.md).
   */
  sharedSession?: boolean;
  /**
   * TTL of the account's poller lease in ms (default max(10 000, 3 × `pollIntervalMs`)): a stand-by
   * instance takes over about this long after the polling instance died.
   */
  pollerLeaseTtlMs?: number;
}

/** Options after defaults and environment fallbacks. */
export interface ResolvedBlueskyOptions {
  identifier: string;
  password: string;
  service: string;
  chatServiceDid: string;
  pollIntervalMs: number;
}

/** Default `service`: the Bluesky entryway. */
export const DEFAULT_SERVICE = 'https://bsky.social';
/** Default `chatServiceDid`: Bluesky's chat service. */
export const DEFAULT_CHAT_SERVICE_DID = 'did:web:api.bsky.chat';
/** Default `pollIntervalMs`: 5 s, between the official app's 1 s (open chat) and 60 s (idle). */
export const DEFAULT_POLL_INTERVAL_MS = 5_000;

const invalid = (path: string, message: string) => invalidRequest(path, message, { provider: 'bluesky' });

/**
 * Applies defaults and the `BLUESKY_IDENTIFIER` / `BLUESKY_APP_PASSWORD` fallbacks.
 * @throws {InvalidRequestError} when credentials are missing or an option is malformed.
 */
export function resolveBlueskyOptions(
  options: BlueskyAdapterOptions,
  env: Record<string, string | undefined> = process.env,
): ResolvedBlueskyOptions {
  const identifier = options.identifier ?? env.BLUESKY_IDENTIFIER;
  const password = options.password ?? env.BLUESKY_APP_PASSWORD;
  if (!identifier) throw invalid('identifier', 'no identifier: pass `identifier` or set BLUESKY_IDENTIFIER.');
  if (!password) throw invalid('password', 'no app password: pass `password` or set BLUESKY_APP_PASSWORD.');

  const service = options.service ?? DEFAULT_SERVICE;
  if (!/^https?:\/\/[^\s/]+/.test(service)) throw invalid('service', '`service` must be an http(s) URL.');
  const chatServiceDid = options.chatServiceDid ?? DEFAULT_CHAT_SERVICE_DID;
  if (!/^did:[a-z]+:[^\s#]+$/.test(chatServiceDid))
    throw invalid('chatServiceDid', '`chatServiceDid` must be a DID without a `#fragment`.');
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs <= 0)
    throw invalid('pollIntervalMs', '`pollIntervalMs` must be a positive number of milliseconds.');

  return { identifier, password, service, chatServiceDid, pollIntervalMs };
}
