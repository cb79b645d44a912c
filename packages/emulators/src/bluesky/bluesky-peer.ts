import type { BlueskyAccount, BlueskyAccounts } from './bluesky-accounts.js';
import { readMessageInput, requireReactionValue } from './bluesky-lex-reader.js';
import type { BlueskyChatStore } from './bluesky-store.js';

/**
 * An account acting in-process (no HTTP, no faults, no rate limit): "the other party" of a test, who
 * opens convos, sends messages and reacts. Its actions produce the same state and getLog events as
 * the equivalent XRPC calls. Methods throw `BlueskyXrpcError` (e.g. `InvalidConvo`, text over
 * 1000 graphemes) like the service would, and `Error` for an unknown account.
 */
export interface BlueskyPeer {
  readonly did: string;
  readonly handle: string;
  /** Gets or creates the direct convo with another account (handle or DID); returns its id. */
  openConvo(withHandleOrDid: string): string;
  /** Sends a text message; returns its id. */
  sendMessage(convoId: string, text: string): string;
  /** Deletes a message for this account only. */
  deleteMessageForSelf(convoId: string, messageId: string): void;
  /** Adds a reaction (one emoji); idempotent. */
  addReaction(convoId: string, messageId: string, value: string): void;
  /** Removes a reaction; idempotent. */
  removeReaction(convoId: string, messageId: string, value: string): void;
  /** Marks the convo read up to `messageId` (default: the last message). */
  markRead(convoId: string, messageId?: string): void;
  /** Accepts a convo request. */
  acceptConvo(convoId: string): void;
  /** Hides the convo for this account. */
  leaveConvo(convoId: string): void;
  muteConvo(convoId: string): void;
  unmuteConvo(convoId: string): void;
  /** Creates a group owned by this account with other accounts (handles or DIDs, in `request` status); returns its id. */
  createGroup(name: string, members: readonly string[]): string;
  /** Adds accounts (handles or DIDs) to a group this account owns. */
  addMembers(convoId: string, members: readonly string[]): void;
  /** Removes accounts (handles or DIDs) from a group this account owns. */
  removeMembers(convoId: string, members: readonly string[]): void;
  /** Renames a group this account owns. */
  editGroup(convoId: string, name: string): void;
  /** Locks (`true`) or unlocks a group this account owns. */
  setLocked(convoId: string, locked: boolean): void;
  /** Creates an enabled join link for a group this account owns; returns its code. */
  createJoinLink(convoId: string, options?: { requireApproval?: boolean }): string;
  /** Asks to join a group by its link code; `'joined'` or `'pending'` (waiting for the owner). */
  requestJoin(code: string): 'joined' | 'pending';
  /** Whether this account is a member of the convo (a removed or departed group member is not). */
  isMember(convoId: string): boolean;
}

/** The {@link BlueskyPeer} of `account`. */
export function createBlueskyPeer(
  account: BlueskyAccount,
  accounts: BlueskyAccounts,
  store: BlueskyChatStore,
): BlueskyPeer {
  const { did } = account;
  return {
    did,
    handle: account.handle,
    openConvo: (withHandleOrDid) => store.getOrCreateDirectConvo(did, [accounts.get(withHandleOrDid).did]).id,
    sendMessage: (convoId, text) =>
      store.send(did, convoId, readMessageInput({ message: { text } }, 'Input')).id,
    deleteMessageForSelf: (convoId, messageId) => {
      store.deleteForSelf(did, convoId, messageId);
    },
    addReaction: (convoId, messageId, value) => {
      store.addReaction(did, convoId, messageId, requireReactionValue({ value }));
    },
    removeReaction: (convoId, messageId, value) => {
      store.removeReaction(did, convoId, messageId, requireReactionValue({ value }));
    },
    markRead: (convoId, messageId) => {
      store.markRead(did, convoId, messageId);
    },
    acceptConvo: (convoId) => {
      store.accept(did, convoId);
    },
    leaveConvo: (convoId) => {
      store.leave(did, convoId);
    },
    muteConvo: (convoId) => {
      store.setMuted(did, convoId, true);
    },
    unmuteConvo: (convoId) => {
      store.setMuted(did, convoId, false);
    },
    createGroup: (name, members) =>
      store.createGroup(
        did,
        members.map((m) => accounts.get(m).did),
        name,
      ).id,
    addMembers: (convoId, members) => {
      store.addMembers(
        did,
        convoId,
        members.map((m) => accounts.get(m).did),
      );
    },
    removeMembers: (convoId, members) => {
      store.removeMembers(
        did,
        convoId,
        members.map((m) => accounts.get(m).did),
      );
    },
    editGroup: (convoId, name) => {
      store.editGroup(did, convoId, name);
    },
    setLocked: (convoId, locked) => {
      store.setLocked(did, convoId, locked);
    },
    createJoinLink: (convoId, options = {}) =>
      store.createJoinLink(did, convoId, {
        requireApproval: options.requireApproval ?? false,
        joinRule: 'anyone',
      }).code,
    requestJoin: (code) => store.requestJoin(did, code).status,
    isMember: (convoId) => {
      try {
        store.convo(did, convoId);
        return true;
      } catch {
        return false;
      }
    },
  };
}
