import { randomBytes } from 'node:crypto';
import { MemoryApiError } from './memory-api-error.js';

/** A session as the backend hands it out. */
export interface MemorySessionGrant {
  userId: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch ms after which the access token is refused with `token_expired`. */
  expiresAt: number;
}

interface Issued {
  userId: string;
  expiresAt: number;
}

const mint = (kind: string) => `mem_${kind}_${randomBytes(16).toString('hex')}`;

/**
 * Sessions of the memory backend: the long-lived API token logs in (`POST /v1/sessions`) and gets a
 * short-lived access token plus a single-use refresh token (`POST /v1/sessions/refresh` rotates both).
 */
export function createMemorySessions(options: {
  apiToken: string;
  userId: string;
  accessTokenTtlMs: number;
}) {
  const access = new Map<string, Issued>();
  const refresh = new Map<string, string>();
  const used: string[] = [];

  const grant = (userId: string): MemorySessionGrant => {
    const session = {
      userId,
      accessToken: mint('at'),
      refreshToken: mint('rt'),
      expiresAt: Date.now() + options.accessTokenTtlMs,
    };
    access.set(session.accessToken, { userId, expiresAt: session.expiresAt });
    refresh.set(session.refreshToken, userId);
    return session;
  };

  return {
    /** Exchanges the API token for a session. */
    login(apiToken: string | undefined): MemorySessionGrant {
      if (apiToken !== options.apiToken) throw new MemoryApiError(401, 'invalid_token', 'Unknown API token.');
      return grant(options.userId);
    },
    /** Rotates a refresh token into a new session. */
    refresh(refreshToken: string): MemorySessionGrant {
      const userId = refresh.get(refreshToken);
      if (userId === undefined)
        throw new MemoryApiError(401, 'invalid_refresh_token', 'Unknown or already used refresh token.');
      refresh.delete(refreshToken);
      used.push(refreshToken);
      return grant(userId);
    },
    /** Every access and refresh token issued so far (secrets too: the contract kit checks none leaks). */
    issued(): string[] {
      return [...access.keys(), ...refresh.keys(), ...used];
    },
    /** The user an access token belongs to. */
    authenticate(accessToken: string | undefined): string {
      const issued = accessToken === undefined ? undefined : access.get(accessToken);
      if (!issued) throw new MemoryApiError(401, 'invalid_token', 'Missing or unknown access token.');
      if (issued.expiresAt <= Date.now())
        throw new MemoryApiError(401, 'token_expired', 'The access token expired.');
      return issued.userId;
    },
  };
}

/** The memory backend's sessions. */
export type MemorySessions = ReturnType<typeof createMemorySessions>;
