import { type AuthStrategy, createSessionAuth, createStaticAuth } from '@switchboard/core/http';
import type { ChatsApiCredentials } from './chats-api-options.js';

/** An access token (a JWT whose `sub` is our user id). */
export interface ChatsApiSession {
  accessToken: string;
}

/** Authentication shared by the REST client and the WebSocket (which takes the token in `?token=`). */
export interface ChatsApiAuth {
  /** For the HTTP toolkit: bearer header, and one re-login on a 401 when we have a password. */
  readonly strategy: AuthStrategy;
  /** The current session; logs in first when needed (concurrent callers share one login). */
  session(signal?: AbortSignal): Promise<ChatsApiSession>;
  /**
   * Called when `stale` was refused outside the toolkit (a WebSocket handshake closed with 1008):
   * logs in again once (single-flight). `false` when we cannot (an access token was given).
   */
  renew(stale: ChatsApiSession, signal?: AbortSignal): Promise<boolean>;
}

const bearer = (session: ChatsApiSession) => ({ authorization: `Bearer ${session.accessToken}` });

/**
 * Builds the authentication for `credentials`. The API has no refresh endpoint: with a password, a
 * stale token means logging in again (`login`, i.e. `POST /token`); with an access token, a 401 is final.
 */
export function createChatsApiAuth(
  credentials: ChatsApiCredentials,
  login: (username: string, password: string, signal?: AbortSignal) => Promise<string>,
): ChatsApiAuth {
  if (credentials.kind === 'token') {
    const session = { accessToken: credentials.accessToken };
    return {
      strategy: createStaticAuth(bearer(session)),
      session: async () => session,
      renew: async () => false,
    };
  }
  const auth = createSessionAuth<ChatsApiSession>({
    login: async (signal) => ({
      accessToken: await login(credentials.username, credentials.password, signal),
    }),
    headers: bearer,
  });
  return {
    strategy: auth,
    session: (signal) => auth.ensure(signal),
    renew: (stale, signal) => auth.recover(stale, signal),
  };
}
