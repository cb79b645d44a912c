/**
 * The adapter's options, and how they are resolved (explicit option, then environment, then an error).
 * @module
 */
import { invalidRequest } from '@switchboard/core';
import type { HttpClientOptions, RetryOptions, SharedRateLimitState } from '@switchboard/core/http';

/** Options shared by both ways of authenticating. */
export interface ChatsApiCommonOptions {
  /** Base URL of the REST API, e.g. `https://chat.example.com`. Default: env `CHATS_API_URL`. */
  baseUrl?: string;
  /** URL of the all-chats WebSocket. Default: `baseUrl` with `ws(s)://` and path `/ws`. */
  wsUrl?: string;
  /** Deadline of each HTTP attempt, in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Retry policy of the HTTP toolkit (delays in milliseconds), or `false` for no retries. */
  retry?: RetryOptions | false;
  /** Your own axios instance (proxies, interceptors). */
  httpClient?: HttpClientOptions['axiosInstance'];
  /**
   * Share the account's rate-limit window (learned from the server's rate-limit headers and 429s)
   * with every instance using the same `{ store, key }` (e.g. `createRedisStateStore(…)` and
   * `` `chats-api:{${username}}:ratelimit` ``), so N instances together stay within the limit.
   * Default: the window lives in this process. See docs/running-several-instances.md.
   */
  rateLimitState?: SharedRateLimitState;
  /**
   * How long a WebSocket send waits for the server's broadcast echo (its only confirmation), and a
   * `seen` for its echo, in milliseconds (default 10 000). Past it the call fails with a
   * `TimeoutError` saying the message may have been sent.
   */
  confirmTimeoutMs?: number;
  /** Milliseconds between two `ping`s on the realtime socket; a missing `pong` reconnects (default 30 000). */
  pingIntervalMs?: number;
  /**
   * Milliseconds between two `GET /chats` syncs while subscribed (default 30 000): they find chats
   * others added us to (the server sends no event for them) and messages sent over REST (never broadcast).
   */
  syncIntervalMs?: number;
  /** Reconnect backoff of the realtime socket: first and longest delay, in milliseconds (500 / 30 000). */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
}

/** Log in with a username (or email) and password: `POST /token`, and again once on a 401. */
export interface ChatsApiPasswordOptions extends ChatsApiCommonOptions {
  /** Username or email. Default: env `CHATS_API_USERNAME`. */
  username?: string;
  /** Default: env `CHATS_API_PASSWORD`. */
  password?: string;
  accessToken?: never;
}

/** Use an access token (a JWT from `/token` or `/login`); a 401 is final (there is no refresh endpoint). */
export interface ChatsApiTokenOptions extends ChatsApiCommonOptions {
  /** Default: env `CHATS_API_TOKEN`. */
  accessToken?: string;
  username?: never;
  password?: never;
}

/** Options of `createChatsApiAdapter`. */
export type ChatsApiAdapterOptions = ChatsApiPasswordOptions | ChatsApiTokenOptions;

/** How the adapter authenticates, once resolved. */
export type ChatsApiCredentials =
  | { kind: 'password'; username: string; password: string }
  | { kind: 'token'; accessToken: string };

/** Options after defaults and environment fallbacks. */
export interface ResolvedChatsApiOptions {
  baseUrl: string;
  wsUrl: string;
  credentials: ChatsApiCredentials;
  confirmTimeoutMs: number;
  pingIntervalMs: number;
  syncIntervalMs: number;
  reconnect: { minDelayMs: number; maxDelayMs: number };
}

const invalid = (path: string, message: string) => invalidRequest(path, message, { provider: 'chats-api' });

function positive(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isFinite(resolved) || resolved <= 0)
    throw invalid(name, `\`${name}\` must be a positive number of milliseconds.`);
  return resolved;
}

/**
 * Applies defaults and the `CHATS_API_URL`, `CHATS_API_USERNAME`, `CHATS_API_PASSWORD` and
 * `CHATS_API_TOKEN` fallbacks. A username and password (option or env) win over a token from env.
 * @throws {InvalidRequestError} when the URL or credentials are missing, or an option is malformed.
 */
export function resolveChatsApiOptions(
  options: ChatsApiAdapterOptions,
  env: Record<string, string | undefined> = process.env,
): ResolvedChatsApiOptions {
  const baseUrl = (options.baseUrl ?? env.CHATS_API_URL)?.replace(/\/+$/, '');
  if (!baseUrl) throw invalid('baseUrl', 'no API URL: pass `baseUrl` or set CHATS_API_URL.');
  if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) throw invalid('baseUrl', '`baseUrl` must be an http(s) URL.');
  const wsUrl = options.wsUrl ?? `${baseUrl.replace(/^http/, 'ws')}/ws`;
  if (!/^wss?:\/\/[^\s/]+/.test(wsUrl)) throw invalid('wsUrl', '`wsUrl` must be a ws(s) URL.');

  const username = options.username ?? env.CHATS_API_USERNAME;
  const password = options.password ?? env.CHATS_API_PASSWORD;
  const accessToken = options.accessToken ?? env.CHATS_API_TOKEN;
  let credentials: ChatsApiCredentials;
  if (options.accessToken) credentials = { kind: 'token', accessToken: options.accessToken };
  else if (username && password) credentials = { kind: 'password', username, password };
  else if (accessToken) credentials = { kind: 'token', accessToken };
  else
    throw invalid(
      'credentials',
      'no credentials: pass `username` and `password` (or `accessToken`), or set CHATS_API_USERNAME and CHATS_API_PASSWORD (or CHATS_API_TOKEN).',
    );

  return {
    baseUrl,
    wsUrl,
    credentials,
    confirmTimeoutMs: positive('confirmTimeoutMs', options.confirmTimeoutMs, 10_000),
    pingIntervalMs: positive('pingIntervalMs', options.pingIntervalMs, 30_000),
    syncIntervalMs: positive('syncIntervalMs', options.syncIntervalMs, 30_000),
    reconnect: {
      minDelayMs: positive('reconnect.minDelayMs', options.reconnect?.minDelayMs, 500),
      maxDelayMs: positive('reconnect.maxDelayMs', options.reconnect?.maxDelayMs, 30_000),
    },
  };
}
