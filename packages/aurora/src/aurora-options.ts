import { InvalidRequestError } from '@switchboard/core';
import type { HttpClientOptions } from '@switchboard/core/http';

/** The API profile: the current `/api/v11`, or the seed-era `/api/v5`. */
export type AuroraApiVersion = 'v11' | 'v5';

/** Options of `createAuroraAdapter`. Credentials: `username` + `password`, or `accessToken`, or both. */
export interface AuroraAdapterOptions {
  /** Account username. Default: the `AURORA_USERNAME` environment variable. */
  username?: string;
  /** Account password. Default: the `AURORA_PASSWORD` environment variable. */
  password?: string;
  /**
   * An `x-access-token` from an earlier login. Default: the `AURORA_ACCESS_TOKEN` environment variable.
   * With `username` and `password` as well, the token is used first and the adapter logs in again
   * when Aurora rejects it; alone, a rejected token is an `AuthenticationError`.
   */
  accessToken?: string;
  /** Default `'v11'`. */
  apiVersion?: AuroraApiVersion;
  /**
   * The server's origin, without the `/api/<version>` prefix. Default: the SDK's server for the
   * version (`https://chat-api.aurora-interactive.online:8443` for v11,
   * `https://api.chatbot.aurora-interactive.online:8443` for v5).
   */
  baseUrl?: string;
  /** Your own axios instance (proxies, interceptors). */
  httpClient?: HttpClientOptions['axiosInstance'];
  /**
   * Deadline of each request in milliseconds (default 30 000). A streamed reply (`POST /message`)
   * has its own two deadlines instead: {@link AuroraAdapterOptions.firstByteTimeoutMs} and
   * {@link AuroraAdapterOptions.idleTimeoutMs}.
   */
  timeoutMs?: number;
  /**
   * Longest wait, in milliseconds, for a reply to start (default 60 000): first for Aurora's
   * response headers to `POST /message`, then for the first byte of the reply's body. A character
   * may think a while before its first token; past this the reply fails with a `TimeoutError`.
   */
  firstByteTimeoutMs?: number;
  /**
   * Longest silence, in milliseconds, between two bytes of a reply once it started (default
   * 30 000). Any bytes reset it, keepalive comments (`: ping`) included; past it the reply fails
   * with a `TimeoutError`.
   */
  idleTimeoutMs?: number;
  /** Retry policy of the HTTP toolkit, or `false` for none. */
  retry?: HttpClientOptions['retry'];
}

/** The default origin of each API profile (the SDK's `ServerList`). */
export const auroraDefaultBaseUrls: Readonly<Record<AuroraApiVersion, string>> = {
  v11: 'https://chat-api.aurora-interactive.online:8443',
  v5: 'https://api.chatbot.aurora-interactive.online:8443',
};

/** Credentials after the environment fallback: a token, a username and password, or both. */
export type AuroraCredentials =
  | { accessToken: string; username?: string; password?: string }
  | { accessToken?: string; username: string; password: string };

/**
 * Each credential from its option, else from its environment variable.
 * @throws {InvalidRequestError} when neither a token nor a username and password are found.
 */
export function resolveAuroraCredentials(
  options: AuroraAdapterOptions,
  env: Record<string, string | undefined> = process.env,
): AuroraCredentials {
  const pick = (value: string | undefined, name: string) => value || env[name] || undefined;
  const username = pick(options.username, 'AURORA_USERNAME');
  const password = pick(options.password, 'AURORA_PASSWORD');
  const accessToken = pick(options.accessToken, 'AURORA_ACCESS_TOKEN');
  const login = username !== undefined && password !== undefined ? { username, password } : undefined;
  if (accessToken !== undefined)
    return { accessToken, ...(login ?? (username === undefined ? {} : { username })) };
  if (login) return login;
  throw new InvalidRequestError(
    'Aurora credentials are missing: pass `username` and `password` (or set AURORA_USERNAME and ' +
      'AURORA_PASSWORD), or pass `accessToken` (or set AURORA_ACCESS_TOKEN).',
    {
      provider: 'aurora',
      issues: [
        { path: 'username', message: 'required with password, unless accessToken is given' },
        { path: 'accessToken', message: 'required unless username and password are given' },
      ],
    },
  );
}

/** The longest delay `setTimeout` honours, in milliseconds (2^31 − 1). */
const MAX_TIMER_MS = 2_147_483_647;

/** The deadlines of requests and reply streams, in milliseconds, after defaults. */
export interface AuroraTimeouts {
  timeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
}

/**
 * `timeoutMs` (default 30 000), `firstByteTimeoutMs` (default 60 000) and `idleTimeoutMs` (default
 * 30 000), in milliseconds.
 * @throws {InvalidRequestError} when one is given but is not a whole number of milliseconds from 1
 * to 2^31 − 1.
 */
export function resolveAuroraTimeouts(options: AuroraAdapterOptions): AuroraTimeouts {
  const defaults: AuroraTimeouts = { timeoutMs: 30_000, firstByteTimeoutMs: 60_000, idleTimeoutMs: 30_000 };
  const resolved = { ...defaults };
  const issues: { path: string; message: string }[] = [];
  for (const name of Object.keys(defaults) as (keyof AuroraTimeouts)[]) {
    const value: unknown = options[name];
    if (value === undefined) continue;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_TIMER_MS)
      resolved[name] = value;
    else
      issues.push({
        path: name,
        message: `must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}`,
      });
  }
  if (issues.length > 0)
    throw new InvalidRequestError(
      `Aurora options: ${issues.map((issue) => `\`${issue.path}\` ${issue.message}`).join('; ')}.`,
      { provider: 'aurora', issues },
    );
  return resolved;
}
