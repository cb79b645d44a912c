import type { BlueskyAccounts } from './bluesky-accounts.js';
import type { MessageInput } from './bluesky-lex-reader.js';
import { isEmoji, LEXICON_LIMITS } from './bluesky-lexicon-limits.js';
import {
  type BareLogType,
  bisect,
  type Convo,
  type ConvoStatus,
  type GroupLogType,
  type GroupState,
  type JoinLink,
  type JoinRequestLogType,
  type LogEntry,
  type MemberState,
  type StoredMessage,
  type StoredReaction,
  type SystemData,
} from './bluesky-model.js';
import { ZERO_TID } from './bluesky-tid.js';
import { BlueskyXrpcError, invalidConvo, invalidRequest } from './bluesky-xrpc-error.js';

/** A page of items and the cursor of the next one (absent on the last page). */
export interface StorePage<T> {
  items: T[];
  cursor?: string;
}

/** Filters of listConvos. */
export interface ConvoFilter {
  readState?: string;
  status?: string;
  /** `direct` or `group`. */
  kind?: string;
  /** `unlocked`, `locked` or `locked-permanently` (direct convos count as unlocked). */
  lockStatus?: string;
}

/** Counts for benchmarks and leak checks. */
export interface BlueskyStoreStats {
  convos: number;
  messages: number;
  logEntries: number;
}

const byRev = (item: { rev: string }) => item.rev;
const byId = (item: { id: string }) => item.id;

/**
 * The chat service's state and rules, independent of HTTP. Every method acts as `viewer` (a DID)
 * and throws {@link BlueskyXrpcError} with the service's error names (`InvalidConvo`,
 * `ReactionLimitReached`, …). Reads are O(page): pages are array slices found by bisection.
 */
export class BlueskyChatStore {
  private readonly convos = new Map<string, Convo>();
  private readonly convosByPair = new Map<string, Convo>();
  private readonly convosByMember = new Map<string, Convo[]>();
  private readonly logs = new Map<string, LogEntry[]>();
  private latestRev = ZERO_TID;
  private messageCount = 0;
  private logEntryCount = 0;

  constructor(
    private readonly accounts: BlueskyAccounts,
    private readonly now: () => number,
    private readonly tid: () => string,
  ) {}

  // ── convos ────────────────────────────────────────────────────────────────

  /** The convo, if `viewer` is a member; else `InvalidConvo`. */
  convo(viewer: string, convoId: string): Convo {
    const convo = this.convos.get(convoId);
    if (!convo?.members.some((m) => m.did === viewer)) throw invalidConvo();
    return convo;
  }

  /**
   * The direct convo between `viewer` and the one other DID in `members` (which may or may not list
   * the viewer itself), created if needed: both members get `logBeginConvo`; the creator's status is
   * `accepted`, the other's `request`. A viewer who had left sees the convo again.
   * DEFINE: the recipient sees the new convo (as a request) at once, before any message.
   */
  getOrCreateDirectConvo(viewer: string, members: readonly string[]): Convo {
    const other = this.counterpart(viewer, members);
    const existing = this.convosByPair.get(pairKey(viewer, other));
    if (existing) {
      const self = this.member(existing, viewer);
      if (self.left) Object.assign(self, { left: false, status: 'accepted' });
      return existing;
    }
    const convo = this.beginConvo([newMember(viewer, 'accepted'), newMember(other, 'request')]);
    this.convosByPair.set(pairKey(viewer, other), convo);
    return convo;
  }

  /**
   * Whether `viewer` can chat with the other DID in `members` (one existing account), and the
   * existing direct convo if any. Never creates a convo.
   */
  availability(viewer: string, members: readonly string[]): { canChat: boolean; convo?: Convo } {
    const others = otherMembers(viewer, members);
    const other = others.length === 1 ? others[0]! : undefined;
    if (other === undefined || !this.accounts.find(other)) return { canChat: false };
    const convo = this.convosByPair.get(pairKey(viewer, other));
    return convo ? { canChat: true, convo } : { canChat: true };
  }

  /**
   * `viewer`'s convos (not left), most recent activity first. DEFINE: activity = the last message
   * (or the creation); the cursor is the activity rev of the last convo returned.
   */
  listConvos(viewer: string, page: { limit: number; cursor?: string } & ConvoFilter): StorePage<Convo> {
    const matching = (this.convosByMember.get(viewer) ?? []).filter((convo) => {
      const self = this.member(convo, viewer);
      if (self.left) return false;
      if (page.readState === 'unread' && self.unread === 0) return false;
      if (page.status !== undefined && self.status !== page.status) return false;
      if (page.kind !== undefined && (convo.group ? 'group' : 'direct') !== page.kind) return false;
      if (page.lockStatus !== undefined && (convo.group?.lockStatus ?? 'unlocked') !== page.lockStatus)
        return false;
      return page.cursor === undefined || convo.activityRev < page.cursor;
    });
    matching.sort((a, b) => (a.activityRev < b.activityRev ? 1 : -1));
    const items = matching.slice(0, page.limit);
    return matching.length > page.limit ? { items, cursor: items.at(-1)!.activityRev } : { items };
  }

  /** Sets `muted`; logs `logMuteConvo`/`logUnmuteConvo` for the viewer when it changes. */
  setMuted(viewer: string, convoId: string, muted: boolean): Convo {
    const convo = this.convo(viewer, convoId);
    const self = this.member(convo, viewer);
    if (self.muted !== muted) {
      self.muted = muted;
      this.log([viewer], { type: muted ? 'logMuteConvo' : 'logUnmuteConvo', rev: this.tid(), convoId });
    }
    return convo;
  }

  /** Accepts a convo request. Returns the event rev, or `undefined` when it was already accepted. */
  accept(viewer: string, convoId: string): string | undefined {
    const self = this.member(this.convo(viewer, convoId), viewer);
    if (self.status === 'accepted') return undefined;
    self.status = 'accepted';
    return this.bareEvent(viewer, convoId, 'logAcceptConvo');
  }

  /**
   * Direct convo: hides it for the viewer (membership stays). Group: ends the membership; the others
   * get `logMemberLeave`. The owner cannot leave an unlocked group (`OwnerCannotLeave`).
   * Returns the event rev.
   */
  leave(viewer: string, convoId: string): string {
    const convo = this.convo(viewer, convoId);
    const self = this.member(convo, viewer);
    if (!convo.group) {
      self.left = true;
      return this.bareEvent(viewer, convoId, 'logLeaveConvo');
    }
    if (self.role === 'owner' && convo.group.lockStatus === 'unlocked')
      throw new BlueskyXrpcError(400, 'OwnerCannotLeave', 'The owner cannot leave before locking the group');
    this.dropMember(convo, viewer);
    const rev = this.bareEvent(viewer, convoId, 'logLeaveConvo');
    this.systemEvent(
      convo,
      viewer,
      { type: 'systemMessageDataMemberLeave', member: viewer },
      'logMemberLeave',
    );
    return rev;
  }

  // ── messages ──────────────────────────────────────────────────────────────

  /**
   * Sends a message: every member gets `logCreateMessage`, the others' unread counts grow, the
   * sender accepts the convo, and a member who had left sees it again as a request (DEFINE).
   */
  send(viewer: string, convoId: string, input: MessageInput): StoredMessage {
    return this.append(this.writable(viewer, convoId), viewer, input);
  }

  /** Sends several messages, possibly to different convos; none is sent if any convo is invalid. */
  sendBatch(viewer: string, items: readonly { convoId: string; message: MessageInput }[]): StoredMessage[] {
    const convos = items.map((item) => this.writable(viewer, item.convoId));
    return items.map((item, i) => this.append(convos[i]!, viewer, item.message));
  }

  /**
   * Appends `count` messages with texts `${prefix}0` … `${prefix}${count - 1}` (oldest first), sent by
   * `senderDid` or alternately by the two members. Seeded history is already read and writes no log
   * events, so 100,000 messages cost one small object each.
   */
  seed(convoId: string, count: number, prefix: string, senderDid?: string): void {
    const convo = this.convos.get(convoId);
    if (!convo) throw invalidConvo();
    if (senderDid !== undefined) this.member(convo, senderDid);
    for (let i = 0; i < count; i += 1) {
      const sender = senderDid ?? convo.members[i % 2]!.did;
      convo.messages.push({
        id: this.tid(),
        rev: this.tid(),
        senderDid: sender,
        text: `${prefix}${i}`,
        sentAt: this.now(),
      });
    }
    this.messageCount += count;
    const last = convo.messages.at(-1);
    if (last) {
      convo.rev = last.rev;
      convo.activityRev = last.rev;
    }
  }

  /** A page of messages, newest first; the cursor walks back in time. */
  messages(
    viewer: string,
    convoId: string,
    page: { limit: number; cursor?: string },
  ): StorePage<StoredMessage> {
    const { messages } = this.convo(viewer, convoId);
    const end = page.cursor === undefined ? messages.length : bisect(messages, page.cursor, byRev);
    const start = Math.max(0, end - page.limit);
    const items = messages.slice(start, end).reverse();
    return start > 0 ? { items, cursor: messages[start]!.rev } : { items };
  }

  /** Deletes a message for the viewer only (idempotent); logs `logDeleteMessage` for the viewer. */
  deleteForSelf(viewer: string, convoId: string, messageId: string): StoredMessage {
    const message = this.message(viewer, convoId, messageId);
    if (message.system)
      throw new BlueskyXrpcError(400, 'MessageDeleteNotAllowed', 'System messages cannot be deleted');
    if (message.deletedFor?.has(viewer)) return message;
    message.deletedFor ??= new Set();
    message.deletedFor.add(viewer);
    this.log([viewer], { type: 'logDeleteMessage', rev: this.tid(), convoId, message });
    return message;
  }

  /**
   * Marks the convo read up to `messageId` (default: the last message); the unread count becomes
   * the number of later messages from others. Logs `logReadMessage` for the viewer.
   * DEFINE: the long-standing `logReadMessage`, not the newer (still "unstable") `logReadConvo`.
   */
  markRead(viewer: string, convoId: string, messageId?: string): Convo {
    const convo = this.convo(viewer, convoId);
    const self = this.member(convo, viewer);
    const read = messageId === undefined ? convo.messages.at(-1) : this.message(viewer, convoId, messageId);
    if (!read) return convo;
    let unread = 0;
    for (let i = bisect(convo.messages, read.id, byId) + 1; i < convo.messages.length; i += 1)
      if (convo.messages[i]!.senderDid !== viewer && !convo.messages[i]!.system) unread += 1;
    self.unread = unread;
    // DEFINE: groups (a group-era feature) log the newer `logReadConvo`, direct convos `logReadMessage`.
    const type = convo.group ? 'logReadConvo' : 'logReadMessage';
    this.log([viewer], { type, rev: this.tid(), convoId, message: read });
    return convo;
  }

  /** Marks every unread convo (optionally only those with `status`) read; returns how many. */
  markAllRead(viewer: string, status?: string): number {
    let updated = 0;
    for (const convo of this.convosByMember.get(viewer) ?? []) {
      const self = this.member(convo, viewer);
      if (self.left || self.unread === 0 || (status !== undefined && self.status !== status)) continue;
      this.markRead(viewer, convo.id);
      updated += 1;
    }
    return updated;
  }

  // ── reactions ─────────────────────────────────────────────────────────────

  /** Adds the viewer's reaction (idempotent); logs `logAddReaction` for every member. */
  addReaction(viewer: string, convoId: string, messageId: string, value: string): StoredMessage {
    const { convo, message } = this.reactable(viewer, convoId, messageId, value);
    const mine = message.reactions?.filter((r) => r.senderDid === viewer) ?? [];
    if (mine.some((r) => r.value === value)) return message;
    if (mine.length >= LEXICON_LIMITS.reactionsPerUserPerMessage)
      throw new BlueskyXrpcError(400, 'ReactionLimitReached', 'Reaction limit reached for this message');
    const reaction: StoredReaction = { value, senderDid: viewer, createdAt: this.now() };
    message.reactions ??= [];
    message.reactions.push(reaction);
    convo.lastReaction = { message, reaction };
    this.reactionEvent(convo, 'logAddReaction', message, reaction);
    return message;
  }

  /** Removes the viewer's reaction (idempotent); logs `logRemoveReaction` for every member. */
  removeReaction(viewer: string, convoId: string, messageId: string, value: string): StoredMessage {
    const { convo, message } = this.reactable(viewer, convoId, messageId, value);
    const index = message.reactions?.findIndex((r) => r.senderDid === viewer && r.value === value) ?? -1;
    if (index === -1) return message;
    const [reaction] = message.reactions!.splice(index, 1);
    if (message.reactions!.length === 0) delete message.reactions;
    if (convo.lastReaction?.reaction === reaction) delete convo.lastReaction;
    this.reactionEvent(convo, 'logRemoveReaction', message, reaction!);
    return message;
  }

  // ── log ───────────────────────────────────────────────────────────────────

  /**
   * The viewer's events after `cursor`, at most {@link LEXICON_LIMITS.logPage}. The returned cursor
   * is always set: the rev of the last event returned, else the cursor given, else (no cursor) the
   * latest rev, with no events — a client starts polling from "now".
   */
  logPage(viewer: string, cursor?: string): { items: LogEntry[]; cursor: string } {
    if (cursor === undefined) return { items: [], cursor: this.latestRev };
    const log = this.logs.get(viewer) ?? [];
    const start = bisect(log, cursor, byRev, true);
    const items = log.slice(start, start + LEXICON_LIMITS.logPage);
    return { items, cursor: items.at(-1)?.rev ?? cursor };
  }

  /** Sizes of the store. */
  stats(): BlueskyStoreStats {
    return { convos: this.convos.size, messages: this.messageCount, logEntries: this.logEntryCount };
  }

  // ── internals ─────────────────────────────────────────────────────────────

  /** `viewer`'s state in a convo it belongs to. */
  private member(convo: Convo, viewer: string): MemberState {
    const member = convo.members.find((m) => m.did === viewer);
    if (!member) throw invalidConvo();
    return member;
  }

  /** A message of a convo the viewer belongs to. */
  private message(viewer: string, convoId: string, messageId: string): StoredMessage {
    const { messages } = this.convo(viewer, convoId);
    const message = messages[bisect(messages, messageId, byId)];
    if (message?.id !== messageId) throw invalidRequest('Message not found');
    return message;
  }

  private counterpart(viewer: string, members: readonly string[]): string {
    const others = otherMembers(viewer, members);
    // DEFINE: group convos are not emulated, so members must name exactly one other account.
    if (others.length !== 1) throw invalidRequest('A direct convo needs exactly one other member');
    const other = others[0]!;
    if (!this.accounts.find(other))
      throw new BlueskyXrpcError(400, 'RecipientNotFound', 'recipient does not exist');
    return other;
  }

  // ── groups ────────────────────────────────────────────────────────────────

  /**
   * Creates a group owned by `viewer` with the other `members` (DIDs) in `request` status; every
   * member gets `logBeginConvo`. Not idempotent. Errors, in order: `NewAccountCannotCreateGroup`,
   * then per member `RecipientNotFound`, `BlockedActor`, `BlockedSubject`, `UserForbidsGroups`,
   * `NotFollowedBySender`.
   */
  createGroup(viewer: string, members: readonly string[], name: string): Convo {
    if (!this.accounts.get(viewer).canCreateGroups)
      throw new BlueskyXrpcError(
        400,
        'NewAccountCannotCreateGroup',
        'New accounts cannot create group chats yet',
      );
    const others = otherMembers(viewer, members);
    for (const did of others) this.checkInvitable(viewer, did);
    if (others.length + 1 > LEXICON_LIMITS.groupMemberLimit)
      throw new BlueskyXrpcError(400, 'MemberLimitReached', 'Group member limit reached');
    return this.beginConvo(
      [
        { ...newMember(viewer, 'accepted'), role: 'owner' },
        ...others.map((did) => ({
          ...newMember(did, 'request'),
          role: 'standard' as const,
          addedBy: viewer,
        })),
      ],
      () => ({
        name,
        createdAt: this.now(),
        lockStatus: 'unlocked',
        memberLimit: LEXICON_LIMITS.groupMemberLimit,
        joinRequests: new Map(),
        unreadJoinRequests: 0,
        kicked: new Set(),
      }),
    );
  }

  /**
   * Adds members (owner only) in `request` status. Each new member gets `logBeginConvo`, everyone a
   * `logAddMember` system message. Members already in the group are skipped. Returns the convo and
   * the DIDs added.
   */
  addMembers(viewer: string, convoId: string, members: readonly string[]): { convo: Convo; added: string[] } {
    const convo = this.owned(viewer, convoId, true);
    const group = convo.group!;
    const added = otherMembers(viewer, members).filter((did) => !convo.members.some((m) => m.did === did));
    for (const did of added) this.checkInvitable(viewer, did);
    if (convo.members.length + added.length > group.memberLimit)
      throw new BlueskyXrpcError(
        400,
        'MemberLimitReached',
        `A group has at most ${group.memberLimit} members`,
      );
    for (const did of added) {
      convo.members.push({ ...newMember(did, 'request'), role: 'standard', addedBy: viewer });
      group.kicked.delete(did);
      this.index(did, convo);
      this.bareEvent(did, convoId, 'logBeginConvo');
      this.systemEvent(
        convo,
        viewer,
        { type: 'systemMessageDataAddMember', member: did, role: 'standard', addedBy: viewer },
        'logAddMember',
      );
    }
    return { convo, added };
  }

  /**
   * Removes members (owner only; not the owner): their membership ends, each gets `logLeaveConvo`
   * and the rest a `logRemoveMember` system message. DIDs that are not members are ignored.
   */
  removeMembers(viewer: string, convoId: string, members: readonly string[]): Convo {
    const convo = this.owned(viewer, convoId, false);
    for (const did of otherMembers(viewer, members)) {
      if (!convo.members.some((m) => m.did === did)) continue;
      this.dropMember(convo, did);
      convo.group!.kicked.add(did);
      this.bareEvent(did, convoId, 'logLeaveConvo');
      this.systemEvent(
        convo,
        viewer,
        { type: 'systemMessageDataRemoveMember', member: did, removedBy: viewer },
        'logRemoveMember',
      );
    }
    return convo;
  }

  /** Renames a group (owner only); everyone gets a `logEditGroup` system message. */
  editGroup(viewer: string, convoId: string, name: string): Convo {
    const convo = this.owned(viewer, convoId, true);
    const oldName = convo.group!.name;
    convo.group!.name = name;
    this.systemEvent(
      convo,
      viewer,
      { type: 'systemMessageDataEditGroup', oldName, newName: name },
      'logEditGroup',
    );
    return convo;
  }

  /**
   * Locks (`locked`) or unlocks a group (owner only): a locked group takes no messages, reactions,
   * members or edits (`ConvoLocked`). Everyone gets `logLockConvo` / `logUnlockConvo`.
   */
  setLocked(viewer: string, convoId: string, locked: boolean): Convo {
    const convo = this.convo(viewer, convoId);
    if (!convo.group) throw invalidRequest('Only group convos can be locked');
    this.requireOwner(convo, viewer);
    const group = convo.group;
    if (group.lockStatus === 'locked-permanently')
      throw new BlueskyXrpcError(400, locked ? 'ConvoLocked' : 'ConvoLockedByModeration', 'Convo is locked');
    if (locked && group.lockStatus === 'locked')
      throw new BlueskyXrpcError(400, 'ConvoLocked', 'Convo is locked');
    if (!locked && group.lockStatus === 'unlocked') return convo;
    group.lockStatus = locked ? 'locked' : 'unlocked';
    if (locked)
      this.systemEvent(
        convo,
        viewer,
        { type: 'systemMessageDataLockConvo', lockedBy: viewer },
        'logLockConvo',
      );
    else
      this.systemEvent(
        convo,
        viewer,
        { type: 'systemMessageDataUnlockConvo', unlockedBy: viewer },
        'logUnlockConvo',
      );
    return convo;
  }

  /** One page of a convo's members, in joining order; the cursor is the index of the next one. */
  convoMembers(
    viewer: string,
    convoId: string,
    page: { limit: number; cursor?: string },
  ): StorePage<MemberState> {
    const { members } = this.convo(viewer, convoId);
    const start = page.cursor === undefined ? 0 : Number.parseInt(page.cursor, 10);
    if (!Number.isInteger(start) || start < 0) throw invalidRequest('Invalid cursor');
    const items = members.slice(start, start + page.limit);
    const next = start + items.length;
    return next < members.length ? { items, cursor: String(next) } : { items };
  }

  /** The viewer's convos in `request` status (not left), newest activity first. */
  convoRequests(viewer: string, page: { limit: number; cursor?: string }): StorePage<Convo> {
    return this.listConvos(viewer, { ...page, status: 'request' });
  }

  /** Groups both `viewer` and `subject` are members of, newest activity first. */
  mutualGroups(viewer: string, subject: string, page: { limit: number; cursor?: string }): StorePage<Convo> {
    const all = this.listConvos(viewer, {
      limit: Number.MAX_SAFE_INTEGER,
      kind: 'group',
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
    const matching = all.items.filter((convo) => convo.members.some((m) => m.did === subject));
    const items = matching.slice(0, page.limit);
    return matching.length > page.limit ? { items, cursor: items.at(-1)!.activityRev } : { items };
  }

  /** Creates the group's join link (owner only); `EnabledJoinLinkAlreadyExists` when one is enabled. */
  createJoinLink(
    viewer: string,
    convoId: string,
    options: { requireApproval: boolean; joinRule: JoinLink['joinRule'] },
  ): JoinLink {
    const convo = this.owned(viewer, convoId, false);
    if (convo.group!.joinLink?.enabled)
      throw new BlueskyXrpcError(400, 'EnabledJoinLinkAlreadyExists', 'An enabled join link already exists');
    const link: JoinLink = { code: this.tid(), enabled: true, createdAt: this.now(), ...options };
    convo.group!.joinLink = link;
    this.systemEvent(convo, viewer, { type: 'systemMessageDataCreateJoinLink' }, 'logCreateJoinLink');
    return link;
  }

  /** Changes, enables or disables the join link (owner only); `NoJoinLink`, `LinkAlreadyEnabled`. */
  updateJoinLink(
    viewer: string,
    convoId: string,
    change: { requireApproval?: boolean; joinRule?: JoinLink['joinRule'] } | 'enable' | 'disable',
  ): JoinLink {
    const convo = this.owned(viewer, convoId, false);
    const link = convo.group!.joinLink;
    if (!link) throw new BlueskyXrpcError(400, 'NoJoinLink', 'The group has no join link');
    if (change === 'enable') {
      if (link.enabled)
        throw new BlueskyXrpcError(400, 'LinkAlreadyEnabled', 'The join link is already enabled');
      link.enabled = true;
      this.systemEvent(convo, viewer, { type: 'systemMessageDataEnableJoinLink' }, 'logEnableJoinLink');
    } else if (change === 'disable') {
      link.enabled = false;
      this.systemEvent(convo, viewer, { type: 'systemMessageDataDisableJoinLink' }, 'logDisableJoinLink');
    } else {
      if (change.requireApproval !== undefined) link.requireApproval = change.requireApproval;
      if (change.joinRule !== undefined) link.joinRule = change.joinRule;
      this.systemEvent(convo, viewer, { type: 'systemMessageDataEditJoinLink' }, 'logEditJoinLink');
    }
    return link;
  }

  /** The group of a join-link code, or `undefined`. */
  groupByCode(code: string): Convo | undefined {
    for (const convo of this.convos.values()) if (convo.group?.joinLink?.code === code) return convo;
    return undefined;
  }

  /**
   * Asks to join by link. Without approval the viewer joins at once (`accepted`; `logBeginConvo`
   * and a `logMemberJoin` system message); with approval the request waits for the owner
   * (`logIncomingJoinRequest` to the owner, `logOutgoingJoinRequest` to the viewer).
   */
  requestJoin(viewer: string, code: string): { status: 'joined' | 'pending'; convo: Convo } {
    const convo = this.groupByCode(code);
    const group = convo?.group;
    if (!convo || !group?.joinLink) throw new BlueskyXrpcError(400, 'InvalidCode', 'Invalid join link code');
    if (!group.joinLink.enabled) throw new BlueskyXrpcError(400, 'LinkDisabled', 'The join link is disabled');
    if (group.lockStatus !== 'unlocked') throw new BlueskyXrpcError(400, 'ConvoLocked', 'Convo is locked');
    if (group.kicked.has(viewer))
      throw new BlueskyXrpcError(400, 'UserKicked', 'You were removed from this group');
    const owner = convo.members.find((m) => m.role === 'owner')!.did;
    if (group.joinLink.joinRule === 'followedByOwner' && !this.accounts.follows(owner, viewer))
      throw new BlueskyXrpcError(400, 'FollowRequired', 'The owner must follow you to join');
    if (convo.members.some((m) => m.did === viewer)) return { status: 'joined', convo };
    if (convo.members.length >= group.memberLimit)
      throw new BlueskyXrpcError(
        400,
        'MemberLimitReached',
        `A group has at most ${group.memberLimit} members`,
      );
    if (!group.joinLink.requireApproval) {
      this.join(convo, viewer);
      return { status: 'joined', convo };
    }
    if (!group.joinRequests.has(viewer)) {
      group.joinRequests.set(viewer, this.now());
      group.unreadJoinRequests += 1;
      this.joinRequestEvent(owner, convo.id, 'logIncomingJoinRequest', viewer);
      this.joinRequestEvent(viewer, convo.id, 'logOutgoingJoinRequest');
    }
    return { status: 'pending', convo };
  }

  /** The owner approves (`join`) or rejects a pending request. */
  answerJoinRequest(viewer: string, convoId: string, member: string, approve: boolean): Convo {
    const convo = this.owned(viewer, convoId, false);
    const group = convo.group!;
    if (!group.joinRequests.has(member)) throw invalidRequest('No such join request');
    if (approve && convo.members.length >= group.memberLimit)
      throw new BlueskyXrpcError(
        400,
        'MemberLimitReached',
        `A group has at most ${group.memberLimit} members`,
      );
    group.joinRequests.delete(member);
    this.joinRequestEvent(
      viewer,
      convoId,
      approve ? 'logApproveJoinRequest' : 'logRejectJoinRequest',
      member,
    );
    if (approve) this.join(convo, member, viewer);
    return convo;
  }

  /** The requester withdraws a pending request (`InvalidJoinRequest` when there is none). */
  withdrawJoinRequest(viewer: string, convoId: string): void {
    const convo = this.convos.get(convoId);
    if (!convo?.group?.joinRequests.has(viewer))
      throw new BlueskyXrpcError(400, 'InvalidJoinRequest', 'No pending join request');
    convo.group.joinRequests.delete(viewer);
    const owner = convo.members.find((m) => m.role === 'owner')!.did;
    this.joinRequestEvent(owner, convoId, 'logWithdrawIncomingJoinRequest', viewer);
    this.joinRequestEvent(viewer, convoId, 'logWithdrawOutgoingJoinRequest');
  }

  /** Pending join requests (owner only), oldest first; the cursor is the index of the next one. */
  joinRequests(
    viewer: string,
    convoId: string,
    page: { limit: number; cursor?: string },
  ): StorePage<{ did: string; requestedAt: number }> {
    const convo = this.owned(viewer, convoId, false);
    const all = [...convo.group!.joinRequests].map(([did, requestedAt]) => ({ did, requestedAt }));
    const start = page.cursor === undefined ? 0 : Number.parseInt(page.cursor, 10);
    const items = all.slice(start, start + page.limit);
    const next = start + items.length;
    return next < all.length ? { items, cursor: String(next) } : { items };
  }

  /** The owner has seen the join requests (`logReadJoinRequests`). */
  readJoinRequests(viewer: string, convoId: string): void {
    const convo = this.owned(viewer, convoId, false);
    convo.group!.unreadJoinRequests = 0;
    this.joinRequestEvent(viewer, convoId, 'logReadJoinRequests');
  }

  /** Whether the account may create groups (`getStatus.canCreateGroups`). */
  canCreateGroups(viewer: string): boolean {
    return this.accounts.get(viewer).canCreateGroups;
  }

  private join(convo: Convo, did: string, approvedBy?: string): void {
    convo.members.push({ ...newMember(did, 'accepted'), role: 'standard' });
    this.index(did, convo);
    this.bareEvent(did, convo.id, 'logBeginConvo');
    this.systemEvent(
      convo,
      did,
      {
        type: 'systemMessageDataMemberJoin',
        member: did,
        role: 'standard',
        ...(approvedBy === undefined ? {} : { approvedBy }),
      },
      'logMemberJoin',
    );
  }

  /** A group the viewer owns (`InsufficientRole` otherwise); `unlocked` required when `write`. */
  private owned(viewer: string, convoId: string, write: boolean): Convo {
    const convo = write ? this.writable(viewer, convoId) : this.convo(viewer, convoId);
    if (!convo.group) throw invalidRequest('Not a group convo');
    this.requireOwner(convo, viewer);
    return convo;
  }

  private requireOwner(convo: Convo, viewer: string): void {
    if (this.member(convo, viewer).role !== 'owner')
      throw new BlueskyXrpcError(400, 'InsufficientRole', 'Only the group owner can do this');
  }

  /** A convo the viewer may write to: `ConvoLocked` for a locked group. */
  private writable(viewer: string, convoId: string): Convo {
    const convo = this.convo(viewer, convoId);
    if (convo.group && convo.group.lockStatus !== 'unlocked')
      throw new BlueskyXrpcError(400, 'ConvoLocked', 'Convo is locked');
    return convo;
  }

  /** Whether `viewer` may add `did` to a group, else the service's error. */
  private checkInvitable(viewer: string, did: string): void {
    const account = this.accounts.find(did);
    if (!account) throw new BlueskyXrpcError(400, 'RecipientNotFound', 'recipient does not exist');
    if (this.accounts.blocks(viewer, did))
      throw new BlueskyXrpcError(400, 'BlockedActor', 'You have blocked this account');
    if (this.accounts.blocks(did, viewer))
      throw new BlueskyXrpcError(400, 'BlockedSubject', 'This account has blocked you');
    if (account.allowGroupInvites === 'none')
      throw new BlueskyXrpcError(400, 'UserForbidsGroups', 'This account does not accept group invites');
    if (account.allowGroupInvites === 'following' && !this.accounts.follows(did, viewer))
      throw new BlueskyXrpcError(
        400,
        'NotFollowedBySender',
        'This account only accepts group invites from accounts it follows',
      );
  }

  /**
   * Stores a new convo of `members` (a group with the state `group` makes, after the convo's id and
   * rev are drawn), indexes it for each member and logs `logBeginConvo` to each.
   */
  private beginConvo(members: MemberState[], group?: () => GroupState): Convo {
    const id = this.tid();
    const rev = this.tid();
    const convo: Convo = {
      id,
      rev,
      activityRev: rev,
      members,
      messages: [],
      ...(group && { group: group() }),
    };
    this.convos.set(id, convo);
    for (const member of members) this.index(member.did, convo);
    this.log(
      members.map((m) => m.did),
      { type: 'logBeginConvo', rev, convoId: id },
    );
    return convo;
  }

  private index(did: string, convo: Convo): void {
    const list = this.convosByMember.get(did) ?? [];
    list.push(convo);
    this.convosByMember.set(did, list);
  }

  /** Ends a group membership. */
  private dropMember(convo: Convo, did: string): void {
    const at = convo.members.findIndex((m) => m.did === did);
    if (at !== -1) convo.members.splice(at, 1);
    const list = this.convosByMember.get(did);
    if (list)
      this.convosByMember.set(
        did,
        list.filter((c) => c !== convo),
      );
  }

  /** Appends a system message and logs it (`type`) to every current member. */
  private systemEvent(convo: Convo, actor: string, data: SystemData, type: GroupLogType): StoredMessage {
    const message: StoredMessage = {
      id: this.tid(),
      rev: this.tid(),
      senderDid: actor,
      text: '',
      sentAt: this.now(),
      system: data,
    };
    convo.messages.push(message);
    this.messageCount += 1;
    convo.rev = message.rev;
    convo.activityRev = message.rev;
    this.log(
      convo.members.map((m) => m.did),
      { type, rev: message.rev, convoId: convo.id, message },
    );
    return message;
  }

  private joinRequestEvent(viewer: string, convoId: string, type: JoinRequestLogType, member?: string): void {
    this.log([viewer], { type, rev: this.tid(), convoId, ...(member === undefined ? {} : { member }) });
  }

  private append(convo: Convo, sender: string, input: MessageInput): StoredMessage {
    const message: StoredMessage = {
      id: this.tid(),
      rev: this.tid(),
      senderDid: sender,
      text: input.text,
      sentAt: this.now(),
      ...(input.facets ? { facets: input.facets } : {}),
      ...(input.embedUri ? { embedUri: input.embedUri } : {}),
    };
    convo.messages.push(message);
    this.messageCount += 1;
    convo.rev = message.rev;
    convo.activityRev = message.rev;
    for (const member of convo.members) {
      if (member.did === sender) {
        member.status = 'accepted';
        member.left = false;
      } else {
        member.unread += 1;
        if (member.left) Object.assign(member, { left: false, status: 'request' });
      }
    }
    this.log(
      convo.members.map((m) => m.did),
      { type: 'logCreateMessage', rev: message.rev, convoId: convo.id, message },
    );
    return message;
  }

  private reactable(viewer: string, convoId: string, messageId: string, value: string) {
    const convo = this.writable(viewer, convoId);
    const message = this.message(viewer, convoId, messageId);
    if (message.system)
      throw new BlueskyXrpcError(400, 'ReactionNotAllowed', 'Cannot react to a system message');
    if (!isEmoji(value))
      throw new BlueskyXrpcError(400, 'ReactionInvalidValue', 'Reaction value must be an emoji');
    if (message.deletedFor?.has(viewer))
      throw new BlueskyXrpcError(400, 'ReactionMessageDeleted', 'Cannot react to a deleted message');
    return { convo, message };
  }

  private reactionEvent(
    convo: Convo,
    type: 'logAddReaction' | 'logRemoveReaction',
    message: StoredMessage,
    reaction: StoredReaction,
  ): void {
    const rev = this.tid();
    convo.rev = rev;
    this.log(
      convo.members.map((m) => m.did),
      { type, rev, convoId: convo.id, message, reaction },
    );
  }

  private bareEvent(viewer: string, convoId: string, type: BareLogType): string {
    const rev = this.tid();
    this.log([viewer], { type, rev, convoId });
    return rev;
  }

  private log(viewers: readonly string[], entry: LogEntry): void {
    for (const viewer of viewers) {
      const log = this.logs.get(viewer) ?? [];
      log.push(entry);
      this.logs.set(viewer, log);
      this.logEntryCount += 1;
    }
    this.latestRev = entry.rev;
  }
}

const otherMembers = (viewer: string, members: readonly string[]) =>
  [...new Set(members)].filter((did) => did !== viewer);

const newMember = (did: string, status: ConvoStatus): MemberState => ({
  did,
  status,
  muted: false,
  unread: 0,
  left: false,
});

const pairKey = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);
