import { randomBytes } from 'node:crypto';
import type { BlueskyAccount } from './bluesky-accounts.js';
import { BlueskyXrpcError } from './bluesky-xrpc-error.js';

/** Token scopes of the reference PDS (`auth-scope.ts`). */
const SCOPE = {
  appPass: 'com.atproto.appPass',
  appPassPrivileged: 'com.atproto.appPassPrivileged',
  refresh: 'com.atproto.refresh',
} as const;

/** What the emulator remembers about a token it issued. */
export interface IssuedToken {
  readonly did: string;
  readonly kind: 'access' | 'refresh';
  /** Whether the token may call the privileged chat methods. */
  readonly privileged: boolean;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** Set when a refresh token is rotated or its session deleted. */
  revoked: boolean;
}

/** A fresh pair of tokens. */
export interface SessionTokens {
  accessJwt: string;
  refreshJwt: string;
}

/** Lifetimes of issued tokens, in milliseconds. */
export interface SessionLifetimes {
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const authError = (status: number, error: string, message: string, headers?: Record<string, string>) =>
  new BlueskyXrpcError(status, error, message, headers);

/**
 * Access and refresh tokens, with the reference PDS's answers (`auth-verifier.ts`): no bearer →
 * 401 `AuthMissing`; unknown token → 400 `InvalidToken` "Token could not be verified"; the wrong kind
 * of token → 400 `InvalidToken` "Bad token scope"; expired → 400 `ExpiredToken` "Token has expired";
 * a refresh token already rotated → 400 `ExpiredToken` "Token has been revoked".
 *
 * Tokens look like JWTs (`typ` `at+jwt` / `refresh+jwt`, claims `scope`, `sub`, `iat`, `exp`) but are
 * opaque random strings to the emulator: it only accepts the exact strings it issued.
 */
export class BlueskySessions {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly now: () => number,
    private readonly lifetimes: SessionLifetimes,
  ) {}

  /** Issues a new access/refresh pair for `account`. */
  issue(account: BlueskyAccount): SessionTokens {
    return {
      accessJwt: this.mint(account, 'access', this.lifetimes.accessTokenTtlMs),
      refreshJwt: this.mint(account, 'refresh', this.lifetimes.refreshTokenTtlMs),
    };
  }

  /** Verifies the `authorization` header, expecting a token of `kind`. Throws {@link BlueskyXrpcError}. */
  verify(authorization: string | undefined, kind: IssuedToken['kind']): IssuedToken {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
    if (!match)
      throw authError(401, 'AuthMissing', 'Authentication Required', { 'www-authenticate': 'Bearer' });
    const token = this.tokens.get(match[1]!);
    if (!token) throw authError(400, 'InvalidToken', 'Token could not be verified');
    if (token.kind !== kind) throw authError(400, 'InvalidToken', 'Bad token scope');
    if (this.now() >= token.expiresAt) throw authError(400, 'ExpiredToken', 'Token has expired');
    if (token.revoked) throw authError(400, 'ExpiredToken', 'Token has been revoked');
    return token;
  }

  private mint(account: BlueskyAccount, kind: IssuedToken['kind'], ttlMs: number): string {
    const issuedAt = this.now();
    const expiresAt = issuedAt + ttlMs;
    const privileged = account.dmAccess;
    const scope = kind === 'refresh' ? SCOPE.refresh : privileged ? SCOPE.appPassPrivileged : SCOPE.appPass;
    const header = { typ: kind === 'access' ? 'at+jwt' : 'refresh+jwt', alg: 'ES256K' };
    const claims = {
      scope,
      sub: account.did,
      iat: Math.floor(issuedAt / 1000),
      exp: Math.floor(expiresAt / 1000),
      jti: randomBytes(16).toString('base64url'),
    };
    const jwt = `${b64url(header)}.${b64url(claims)}.${randomBytes(48).toString('base64url')}`;
    this.tokens.set(jwt, { did: account.did, kind, privileged, expiresAt, revoked: false });
    return jwt;
  }
}
