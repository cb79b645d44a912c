/**
 * The emulator's storage model: plain objects, one array of messages per convo in creation order,
 * one array of log entries per viewer in rev order. Every id and rev is a TID from one monotonic
 * clock, so both arrays are sorted by id and by rev and can be searched by bisection.
 */

/** The viewer's status in a convo (`chat.bsky.convo.defs#convoStatus`). */
export type ConvoStatus = 'request' | 'accepted';

/** A reaction on a message. */
export interface StoredReaction {
  readonly value: string;
  readonly senderDid: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

/** A message. `rev` never changes after creation (cursors rely on it). */
export interface StoredMessage {
  readonly id: string;
  readonly rev: string;
  readonly senderDid: string;
  readonly text: string;
  /** Epoch milliseconds. */
  readonly sentAt: number;
  readonly facets?: unknown[];
  /** `at://` URI of a record embed. */
  readonly embedUri?: string;
  /** Oldest first; absent until the first reaction. */
  reactions?: StoredReaction[];
  /** DIDs that deleted the message for themselves. */
  deletedFor?: Set<string>;
}

/** One member's view of a convo. */
export interface MemberState {
  readonly did: string;
  status: ConvoStatus;
  muted: boolean;
  /** Messages from others since the member last read the convo. */
  unread: number;
  /** Left (hidden for this member) until someone writes again. */
  left: boolean;
}

/** A direct (1-1) convo. */
export interface Convo {
  readonly id: string;
  /** Rev of the last change seen by every member (begin, message, reaction). */
  rev: string;
  /** Rev of the last message (or of the begin): listConvos sorts by it, newest first. */
  activityRev: string;
  readonly members: readonly [MemberState, MemberState];
  /** Oldest first. */
  readonly messages: StoredMessage[];
  lastReaction?: { message: StoredMessage; reaction: StoredReaction };
}

/** Log entry types that carry nothing but the convo. */
export type BareLogType =
  | 'logBeginConvo'
  | 'logAcceptConvo'
  | 'logLeaveConvo'
  | 'logMuteConvo'
  | 'logUnmuteConvo';

/** One event in a viewer's log (`chat.bsky.convo.getLog`). */
export type LogEntry =
  | { readonly type: BareLogType; readonly rev: string; readonly convoId: string }
  | {
      readonly type: 'logCreateMessage' | 'logDeleteMessage' | 'logReadMessage';
      readonly rev: string;
      readonly convoId: string;
      readonly message: StoredMessage;
    }
  | {
      readonly type: 'logAddReaction' | 'logRemoveReaction';
      readonly rev: string;
      readonly convoId: string;
      readonly message: StoredMessage;
      readonly reaction: StoredReaction;
    };

/** First index in `items` (sorted by `key`) whose key is `>= target` (or `> target` when `strict`). */
export function bisect<T>(
  items: readonly T[],
  target: string,
  key: (item: T) => string,
  strict = false,
): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = key(items[mid]!);
    if (k < target || (strict && k === target)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
