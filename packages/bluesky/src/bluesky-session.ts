/**
 * atproto sessions: log in with `com.atproto.server.createSession`, refresh with
 * `com.atproto.server.refreshSession`, log in again when the refresh token is dead. Single-flight
 * through the toolkit's `createSessionAuth`.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type StateStore, SwitchboardError } from '@switchboard/core';
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
  /**
   * Keep the session in this (shared) store, so that instances and restarts reuse one session:
   * `createSession` runs only when the store has none, and a refresh runs under the account's
   * lease `bluesky:{<identifier>}:session.lock` so exactly one instance refreshes (refresh tokens
   * rotate) while the others pick up the new tokens. The value (key `bluesky:{<identifier>}:session`)
   * is secret material: access and refresh tokens. Absent: the session lives in this process.
   */
  store?: StateStore;
}

const SESSION_LOCK_TTL_MS = 30_000;
const SESSION_LOCK_RETRY_MS = 25;

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

  const createSession = async (signal?: AbortSignal) => {
    const output = await http.request({
      method: 'POST',
      path: '/xrpc/com.atproto.server.createSession',
      body: { identifier: options.identifier, password: options.password },
      schema: sessionOutputSchema,
      auth: false,
      // Logging in again only makes another session: a 5xx or a lost answer is retried. (Not so for
      // refreshSession: refresh tokens rotate, a repeated refresh uses a spent one.)
      idempotent: true,
      signal,
    });
    return toSession(output);
  };
  const refreshSession = async (session: BlueskySession, signal?: AbortSignal) => {
    const output = await http.request({
      method: 'POST',
      path: '/xrpc/com.atproto.server.refreshSession',
      headers: { authorization: `Bearer ${session.refreshJwt}` },
      schema: sessionOutputSchema,
      auth: false,
      signal,
    });
    return toSession(output, session);
  };

  const store = options.store;
  const sessionKey = `bluesky:{${options.identifier}}:session`;
  const lockName = `bluesky:{${options.identifier}}:session.lock`;
  /** Access tokens this process saw refused for good (their refresh failed): never adopted again. */
  const dead = new Set<string>();
  const stored = async () => {
    const session = await store!.get<BlueskySession>(sessionKey);
    return session && !dead.has(session.accessJwt) ? session : undefined;
  };
  /**
   * Returns what `check` finds in the store, else runs `act` under the account's session lease and
   * stores its result (a write fenced by the lease). Waits while another instance holds the lease.
   */
  const underLease = async (
    check: () => Promise<BlueskySession | undefined>,
    act: () => Promise<BlueskySession>,
    signal: AbortSignal | undefined,
  ): Promise<BlueskySession> => {
    for (;;) {
      const found = await check();
      if (found) return found;
      const lease = await store!.acquireLease(lockName, { ttlMs: SESSION_LOCK_TTL_MS });
      if (lease) {
        try {
          const again = await check();
          if (again) return again;
          const session = await act();
          await store!.commit(
            [{ type: 'set', key: sessionKey, value: session }],
            [{ type: 'leaseHeld', lease }],
          );
          return session;
        } finally {
          await store!.releaseLease(lease).catch(() => false);
        }
      }
      await sleep(SESSION_LOCK_RETRY_MS, undefined, { signal });
    }
  };

  return createSessionAuth<BlueskySession>({
    login(signal) {
      if (!store) return createSession(signal);
      return underLease(stored, () => createSession(signal), signal);
    },
    async refresh(session, signal) {
      if (!store) return refreshSession(session, signal);
      // Someone else refreshed (or logged in) since this session was adopted: take theirs.
      const newer = async () => {
        const current = await stored();
        return current && current.accessJwt !== session.accessJwt ? current : undefined;
      };
      try {
        return await underLease(newer, () => refreshSession(session, signal), signal);
      } catch (error) {
        if (SwitchboardError.isInstance(error) && error.code === 'authentication') {
          // The refresh token is dead: forget the stored session, so the login that follows creates one.
          dead.add(session.accessJwt);
          await store
            .commit(
              [{ type: 'delete', key: sessionKey }],
              [{ type: 'equals', key: sessionKey, value: session }],
            )
            .catch(() => false);
        }
        throw error;
      }
    },
    headers: (session) => ({ authorization: `Bearer ${session.accessJwt}` }),
    onSession(session) {
      http.addSecret(session.accessJwt);
      http.addSecret(session.refreshJwt);
      options.onSession(session);
    },
  });
}
