import { type AuthStrategy, createSessionAuth, createStaticAuth } from '@switchboard/core/http';
import type { AuroraCredentials } from './aurora-options.js';

/**
 * How the adapter authenticates: the `x-access-token` header. With a username and password, a
 * session that logs in at first use (or starts from the given token) and logs in again, once and
 * for all concurrent calls, when Aurora answers 401 "Invalid username, password, or access token"
 * (tokens have no documented lifetime: we treat them as valid until rejected). With only a token,
 * a rejected token is final.
 */
export function createAuroraAuth(
  credentials: AuroraCredentials,
  login: (username: string, password: string, signal?: AbortSignal) => Promise<string>,
): AuthStrategy {
  const headers = (accessToken: string) => ({ 'x-access-token': accessToken });
  const { username, password } = credentials;
  if (username === undefined || password === undefined)
    return createStaticAuth(headers(credentials.accessToken!));
  let unused = credentials.accessToken;
  return createSessionAuth<string>({
    async login(signal) {
      const token = unused ?? (await login(username, password, signal));
      unused = undefined;
      return token;
    },
    headers,
  });
}
