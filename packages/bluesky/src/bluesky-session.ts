/**
 * atproto sessions: log in with `com.atproto.server.createSession`, refresh with
 * `com.atproto.server.refreshSession`, log in again when the refresh token is dead. Single-flight
 * through the toolkit's `createSessionAuth`.
 * @module
 */
import { createSessionAuth, type HttpClient, type SessionAuth } from '@switchboard/core/http';
import { didDocSchema, type SessionOutput, sessionOutputSchema } from './bluesky-schemas.js';

/** A logged-in session. */
export interface BlueskySession {
  did: string;
  handle: string;
  accessJwt: string;
  refreshJwt: string;
  /** Base URL for every other call: the `#atproto_pds` service of the DID document, else the login service. */
  pdsUrl: string;
}

/** Options of {@link createBlueskySession}. */
export interface BlueskySessionOptions {
  identifier: string;
  password: string;
  /** Client on the login `service` (no auth strategy); createSession and refreshSession go there. */
  http: HttpClient;
  /** Called with each new session (after its tokens were registered as secrets of `http`). */
  onSession(session: BlueskySession): void;
}

/** The `#atproto_pds` endpoint of a DID document, when it has a usable one. */
export function pdsEndpoint(didDoc: unknown): string | undefined {
  const parsed = didDocSchema.safeParse(didDoc);
  if (!parsed.success) return undefined;
  const service = parsed.data.service.find(
    (entry) => entry.id === '#atproto_pds' || entry.id.endsWith('#atproto_pds'),
  );
  const endpoint = service?.serviceEndpoint;
  return typeof endpoint === 'string' && /^https?:\/\//.test(endpoint) ? endpoint : undefined;
}

/**
 * Creates the session strategy for the authenticated client. Login and refresh requests are sent
 * with `auth: false` on the login service; refresh carries the refresh token as Bearer and no body.
 * A refresh answered `ExpiredToken` / `InvalidToken` (mapped to `AuthenticationError`) logs in again.
 * Every token is registered as a secret, so no error can show it.
 */
export function createBlueskySession(options: BlueskySessionOptions): SessionAuth<BlueskySession> {
  const { http } = options;
  const toSession = (output: SessionOutput, previous?: BlueskySession): BlueskySession => ({
    did: output.did,
    handle: output.handle,
    accessJwt: output.accessJwt,
    refreshJwt: output.refreshJwt,
    pdsUrl: pdsEndpoint(output.didDoc) ?? previous?.pdsUrl ?? http.baseUrl,
  });

  return createSessionAuth<BlueskySession>({
    async login(signal) {
      const output = await http.request({
        method: 'POST',
        path: '/xrpc/com.atproto.server.createSession',
        body: { identifier: options.identifier, password: options.password },
        schema: sessionOutputSchema,
        auth: false,
        signal,
      });
      return toSession(output);
    },
    async refresh(session, signal) {
      const output = await http.request({
        method: 'POST',
        path: '/xrpc/com.atproto.server.refreshSession',
        headers: { authorization: `Bearer ${session.refreshJwt}` },
        schema: sessionOutputSchema,
        auth: false,
        signal,
      });
      return toSession(output, session);
    },
    headers: (session) => ({ authorization: `Bearer ${session.accessJwt}` }),
    onSession(session) {
      http.addSecret(session.accessJwt);
      http.addSecret(session.refreshJwt);
      options.onSession(session);
    },
  });
}
