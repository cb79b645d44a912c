/**
 * The adapter's HTTP side: a client on the login service, the session, and the authenticated client
 * on the PDS, all sent through the `@switchboard/core/http` toolkit with Bluesky's error mapping.
 * @module
 */
import {
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type SessionAuth,
} from '@switchboard/core/http';
import { type BlueskyApi, createBlueskyApi } from './bluesky-api.js';
import { mapBlueskyHttpError } from './bluesky-error-body.js';
import type { BlueskyAdapterOptions, ResolvedBlueskyOptions } from './bluesky-options.js';
import { type BlueskySession, createBlueskySession } from './bluesky-session.js';

/** What the adapter's methods call through. */
export interface BlueskyTransport {
  /** The session (single-flight login and refresh). */
  auth: SessionAuth<BlueskySession>;
  /** Authenticated client; its base URL follows the session's PDS. */
  http: HttpClient;
  /** `chat.bsky.*` calls through `http`, with the `atproto-proxy` header. */
  api: BlueskyApi;
  /** Destroys both clients' keep-alive sockets. */
  close(): Promise<void>;
}

/**
 * Wires the clients: login and refresh go to `service`; each new session registers its tokens as
 * secrets of both clients and points the authenticated one at the session's PDS. The password is a
 * secret from the start.
 */
export function createBlueskyTransport(
  config: ResolvedBlueskyOptions,
  options: Pick<
    BlueskyAdapterOptions,
    'timeoutMs' | 'retry' | 'httpClient' | 'store' | 'sharedRateLimit' | 'sharedSession'
  >,
): BlueskyTransport {
  const common: HttpClientOptions = {
    provider: 'bluesky',
    baseUrl: config.service,
    secrets: () => [config.password],
    mapError: mapBlueskyHttpError,
  };
  if (options.timeoutMs !== undefined) common.timeoutMs = options.timeoutMs;
  if (options.retry !== undefined) common.retry = options.retry;
  if (options.httpClient) common.axiosInstance = options.httpClient;

  const loginHttp = createHttpClient(common);
  const auth = createBlueskySession({
    identifier: config.identifier,
    password: config.password,
    http: loginHttp,
    ...(options.store !== undefined && options.sharedSession !== false ? { store: options.store } : {}),
    onSession(session) {
      http.addSecret(session.accessJwt);
      http.addSecret(session.refreshJwt);
      http.setBaseUrl(session.pdsUrl);
    },
  });
  // The PDS's per-account budget is shared across instances; login keeps its own (separate) limit.
  const shareRateLimit = options.store !== undefined && options.sharedRateLimit !== false;
  const http = createHttpClient({
    ...common,
    auth,
    ...(shareRateLimit
      ? { rateLimitState: { store: options.store!, key: `bluesky:{${config.identifier}}:ratelimit` } }
      : {}),
  });
  return {
    auth,
    http,
    api: createBlueskyApi(http, config.chatServiceDid, (signal) => auth.ensure(signal)),
    async close() {
      await Promise.all([http.close(), loginHttp.close()]);
    },
  };
}
