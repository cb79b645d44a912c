import type { BlueskyAccount, BlueskyAccounts } from './bluesky-accounts.js';
import { inputObject, requireHandleParam, requireString } from './bluesky-lex-reader.js';
import type { BlueskySessions, SessionTokens } from './bluesky-sessions.js';
import { BlueskyXrpcError } from './bluesky-xrpc-error.js';
import type { XrpcMethod } from './bluesky-xrpc-router.js';

/** What the `com.atproto.*` methods need. */
export interface ServerRouteDeps {
  accounts: BlueskyAccounts;
  sessions: BlueskySessions;
  /** The emulator's own URL, announced as the account's PDS in its DID document. */
  pdsUrl: () => string;
}

/**
 * The PDS's own methods: `com.atproto.server.createSession` / `refreshSession` (rotates the refresh
 * token) / `getSession` / `deleteSession`, and `com.atproto.identity.resolveHandle`
 * (unauthenticated; local accounts only).
 */
export function serverMethods({ accounts, sessions, pdsUrl }: ServerRouteDeps): Record<string, XrpcMethod> {
  const didDoc = (account: BlueskyAccount) => ({
    '@context': ['https://www.w3.org/ns/did/v1'],
    id: account.did,
    alsoKnownAs: [`at://${account.handle}`],
    service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: pdsUrl() }],
  });
  const sessionInfo = (account: BlueskyAccount) => ({
    handle: account.handle,
    did: account.did,
    didDoc: didDoc(account),
    active: true,
  });
  const session = (account: BlueskyAccount, tokens: SessionTokens) => ({
    ...tokens,
    ...sessionInfo(account),
  });

  return {
    'com.atproto.server.createSession': {
      type: 'procedure',
      auth: 'none',
      input: true,
      handle: ({ input }) => {
        const body = inputObject(input);
        const identifier = requireString(body, 'identifier');
        const password = requireString(body, 'password');
        const account = accounts.find(identifier);
        if (!account || account.password !== password)
          throw new BlueskyXrpcError(401, 'AuthenticationRequired', 'Invalid identifier or password');
        return session(account, sessions.issue(account));
      },
    },
    'com.atproto.server.refreshSession': {
      type: 'procedure',
      auth: 'refresh',
      handle: ({ token }) => {
        token!.revoked = true;
        const account = accounts.get(token!.did);
        return session(account, sessions.issue(account));
      },
    },
    'com.atproto.server.getSession': {
      type: 'query',
      auth: 'access',
      handle: ({ token }) => sessionInfo(accounts.get(token!.did)),
    },
    'com.atproto.server.deleteSession': {
      type: 'procedure',
      auth: 'refresh',
      handle: ({ token }) => {
        token!.revoked = true;
        return undefined;
      },
    },
    'com.atproto.identity.resolveHandle': {
      type: 'query',
      auth: 'none',
      handle: ({ params }) => {
        const account = accounts.find(requireHandleParam(params, 'handle'));
        if (!account) throw new BlueskyXrpcError(400, 'HandleNotFound', 'Unable to resolve handle');
        return { did: account.did };
      },
    },
  };
}
