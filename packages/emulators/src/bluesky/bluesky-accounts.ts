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
}

/** An account of the emulated PDS. */
export interface BlueskyAccount {
  readonly did: string;
  readonly handle: string;
  readonly password: string;
  readonly displayName?: string;
  readonly dmAccess: boolean;
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

  /** Number of accounts. */
  get size(): number {
    return this.byDid.size;
  }
}
