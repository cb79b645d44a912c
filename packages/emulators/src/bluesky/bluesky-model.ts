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
  /** Set for a group's system message (`systemMessageView`): what happened. `senderDid` is the actor. */
  readonly system?: SystemData;
}

/** The `data` of a system message (`chat.bsky.convo.defs#systemMessageData*`), with DIDs. */
export type SystemData =
  | {
      readonly type: 'systemMessageDataAddMember';
      readonly member: string;
      readonly role: MemberRole;
      readonly addedBy: string;
    }
  | { readonly type: 'systemMessageDataRemoveMember'; readonly member: string; readonly removedBy: string }
  | {
      readonly type: 'systemMessageDataMemberJoin';
      readonly member: string;
      readonly role: MemberRole;
      readonly approvedBy?: string;
    }
  | { readonly type: 'systemMessageDataMemberLeave'; readonly member: string }
  | { readonly type: 'systemMessageDataLockConvo'; readonly lockedBy: string }
  | { readonly type: 'systemMessageDataUnlockConvo'; readonly unlockedBy: string }
  | { readonly type: 'systemMessageDataEditGroup'; readonly oldName: string; readonly newName: string }
  | {
      readonly type:
        | 'systemMessageDataCreateJoinLink'
        | 'systemMessageDataEditJoinLink'
        | 'systemMessageDataEnableJoinLink'
        | 'systemMessageDataDisableJoinLink';
    };

/** A group member's role (`chat.bsky.actor.defs#memberRole`). */
export type MemberRole = 'owner' | 'standard';

/** A group's join link (`chat.bsky.group.defs#joinLinkView`). */
export interface JoinLink {
  readonly code: string;
  enabled: boolean;
  requireApproval: boolean;
  joinRule: 'anyone' | 'followedByOwner';
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

/** What a group convo has beyond a direct one. */
export interface GroupState {
  name: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  lockStatus: 'unlocked' | 'locked' | 'locked-permanently';
  readonly memberLimit: number;
  joinLink?: JoinLink;
  /** Pending join requests: requester DID → epoch milliseconds. */
  readonly joinRequests: Map<string, number>;
  /** Join requests the owner has not seen (`updateJoinRequestsRead` clears them). */
  unreadJoinRequests: number;
  /** DIDs removed by the owner: they cannot join again through the link (`UserKicked`). */
  readonly kicked: Set<string>;
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
  /** In a group: the member's role. */
  role?: MemberRole;
  /** In a group: who added the member (absent for the owner and for members who joined by link). */
  addedBy?: string;
}

/** A convo: direct (1-1, two members forever) or, with `group`, a group. */
export interface Convo {
  readonly id: string;
  /** Rev of the last change seen by every member (begin, message, reaction). */
  rev: string;
  /** Rev of the last message (or of the begin): listConvos sorts by it, newest first. */
  activityRev: string;
  /** Direct: exactly two. Group: the current members, owner first, in joining order. */
  readonly members: MemberState[];
  /** Set for a group convo. */
  readonly group?: GroupState;
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

/** Log entry types of group events that carry a system message. */
export type GroupLogType =
  | 'logAddMember'
  | 'logRemoveMember'
  | 'logMemberJoin'
  | 'logMemberLeave'
  | 'logLockConvo'
  | 'logUnlockConvo'
  | 'logEditGroup'
  | 'logCreateJoinLink'
  | 'logEditJoinLink'
  | 'logEnableJoinLink'
  | 'logDisableJoinLink'
  | 'logReadConvo';

/** Log entry types of join requests. */
export type JoinRequestLogType =
  | 'logIncomingJoinRequest'
  | 'logApproveJoinRequest'
  | 'logRejectJoinRequest'
  | 'logWithdrawIncomingJoinRequest'
  | 'logOutgoingJoinRequest'
  | 'logWithdrawOutgoingJoinRequest'
  | 'logReadJoinRequests';

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
      /** Group events whose message is a system message. */
      readonly type: GroupLogType;
      readonly rev: string;
      readonly convoId: string;
      readonly message: StoredMessage;
    }
  | {
      /** Join-request events (owner side: `member` is the requester; requester side: no member). */
      readonly type: JoinRequestLogType;
      readonly rev: string;
      readonly convoId: string;
      readonly member?: string;
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
