import { didForHandle, isValidDid, isValidHandle } from './bluesky-identity.js';

/** An account to create on the emulated PDS. */
export interface BlueskyAccountSeed {
  /** A domain-like handle, e.g. `alice.test` (stored lower-case). */
  handle: string;
  /** The app password the account logs in with. */
  password: string;
  /** Defaults to a `did:plc:` derived from the handle (the same handle always gets the same DID). */
  did?: string;
  displayName?: string;
  /**
   * Whether the app password may use the privileged chat methods ("Allow access to your direct
   * messages"). Default `true`; `false` makes listConvos, sendMessage, … answer 400 `InvalidToken`
   * "Bad token method".
   */
  dmAccess?: boolean;
  /**
   * Whether the account may create groups (`chat.bsky.actor.getStatus` `canCreateGroups`). Default
   * `true`; `false` models a new account: `createGroup` answers `NewAccountCannotCreateGroup`.
   */
  canCreateGroups?: boolean;
  /**
   * Who may add this account to a group (`chat.bsky.actor.declaration` `allowGroupInvites`):
   * `'all'` (default), `'following'` (accounts it follows; others get `NotFollowedBySender`),
   * `'none'` (`UserForbidsGroups`).
   */
  allowGroupInvites?: 'all' | 'none' | 'following';
  /** Handles or DIDs this account follows (for `allowGroupInvites: 'following'` and join rules). */
  follows?: string[];
  /** Handles or DIDs this account blocks (`BlockedActor` / `BlockedSubject` when grouped with them). */
  blocks?: string[];
}

/** An account of the emulated PDS. */
export interface BlueskyAccount {
  readonly did: string;
  readonly handle: string;
  readonly password: string;
  readonly displayName?: string;
  readonly dmAccess: boolean;
  readonly canCreateGroups: boolean;
  readonly allowGroupInvites: 'all' | 'none' | 'following';
  /** Handles or DIDs, as given. */
  readonly follows: readonly string[];
  /** Handles or DIDs, as given. */
  readonly blocks: readonly string[];
}

/** The PDS's accounts, found by handle or DID. */
export class BlueskyAccounts {
  private readonly byDid = new Map<string, BlueskyAccount>();
  private readonly byHandle = new Map<string, BlueskyAccount>();

  /** Creates an account. Throws `Error` on a malformed handle/DID or one already taken. */
  add(seed: BlueskyAccountSeed): BlueskyAccount {
    const handle = seed.handle.toLowerCase();
    if (!isValidHandle(handle)) throw new Error(`Invalid handle: ${seed.handle}`);
    const did = seed.did ?? didForHandle(handle);
    if (!isValidDid(did)) throw new Error(`Invalid DID: ${did}`);
    if (this.byHandle.has(handle) || this.byDid.has(did))
      throw new Error(`Account already exists: ${handle} (${did})`);
    const account: BlueskyAccount = {
      did,
      handle,
      password: seed.password,
      dmAccess: seed.dmAccess ?? true,
      canCreateGroups: seed.canCreateGroups ?? true,
      allowGroupInvites: seed.allowGroupInvites ?? 'all',
      follows: seed.follows ?? [],
      blocks: seed.blocks ?? [],
      ...(seed.displayName === undefined ? {} : { displayName: seed.displayName }),
    };
    this.byDid.set(did, account);
    this.byHandle.set(handle, account);
    return account;
  }

  /** The account with this handle or DID, if any. */
  find(handleOrDid: string): BlueskyAccount | undefined {
    return handleOrDid.startsWith('did:')
      ? this.byDid.get(handleOrDid)
      : this.byHandle.get(handleOrDid.toLowerCase());
  }

  /** The account with this handle or DID. Throws `Error` when there is none. */
  get(handleOrDid: string): BlueskyAccount {
    const account = this.find(handleOrDid);
    if (!account) throw new Error(`No such account: ${handleOrDid}`);
    return account;
  }

  /** Whether `from` follows `to` (both DIDs). */
  follows(from: string, to: string): boolean {
    return this.find(from)?.follows.some((ref) => this.find(ref)?.did === to) ?? false;
  }

  /** Whether `from` blocks `to` (both DIDs). */
  blocks(from: string, to: string): boolean {
    return this.find(from)?.blocks.some((ref) => this.find(ref)?.did === to) ?? false;
  }

  /** Number of accounts. */
  get size(): number {
    return this.byDid.size;
  }
}
