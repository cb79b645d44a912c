import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Issues and checks the server's HS256 JWTs (`sub` = user id, `exp` only outside DEV mode). */
export interface TokenIssuer {
  issue(userId: string): string;
  /** The token's claims, or `undefined` when the signature, shape or expiry is wrong. */
  verify(token: string): Record<string, unknown> | undefined;
  /** Invalidates every token issued so far, as a new `JWT_SECRET` would. */
  revokeAll(): void;
}

/** Options of {@link createTokenIssuer}. */
export interface TokenIssuerOptions {
  /** Token lifetime in ms (`JWT_EXPIRES_MINUTES`); `undefined` = DEV mode, tokens never expire. */
  ttlMs?: number;
  now?: () => number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** Creates a {@link TokenIssuer} with a fresh random secret. */
export function createTokenIssuer(options: TokenIssuerOptions = {}): TokenIssuer {
  const now = options.now ?? Date.now;
  let secret = randomBytes(32);
  const sign = (input: string) => createHmac('sha256', secret).update(input).digest();

  return {
    issue(userId) {
      const claims: Record<string, unknown> = { sub: userId };
      if (options.ttlMs !== undefined) claims.exp = Math.floor((now() + options.ttlMs) / 1000);
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${HEADER}.${payload}.${sign(`${HEADER}.${payload}`).toString('base64url')}`;
    },
    verify(token) {
      const [header, payload, signature, ...rest] = token.split('.');
      if (header === undefined || payload === undefined || signature === undefined || rest.length > 0)
        return undefined;
      const expected = sign(`${header}.${payload}`);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return undefined;
        const { exp } = claims as { exp?: unknown };
        if (typeof exp === 'number' && exp * 1000 <= now()) return undefined;
        return claims as Record<string, unknown>;
      } catch {
        return undefined;
      }
    },
    revokeAll() {
      secret = randomBytes(32);
    },
  };
}
