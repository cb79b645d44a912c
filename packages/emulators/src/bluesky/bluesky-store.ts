import type { BlueskyAccounts } from './bluesky-accounts.js';
import type { MessageInput } from './bluesky-lex-reader.js';
import { isEmoji, LEXICON_LIMITS } from './bluesky-lexicon-limits.js';
import {
  type BareLogType,
  bisect,
  type Convo,
  type ConvoStatus,
  type LogEntry,
  type MemberState,
  type StoredMessage,
  type StoredReaction,
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
    const id = this.tid();
    const rev = this.tid();
    const member = (did: string, status: ConvoStatus): MemberState => ({
      did,
      status,
      muted: false,
      unread: 0,
      left: false,
    });
    const convo: Convo = {
      id,
      rev,
      activityRev: rev,
      members: [member(viewer, 'accepted'), member(other, 'request')],
      messages: [],
    };
    this.convos.set(id, convo);
    this.convosByPair.set(pairKey(viewer, other), convo);
    for (const did of [viewer, other]) {
      const list = this.convosByMember.get(did) ?? [];
      list.push(convo);
      this.convosByMember.set(did, list);
    }
    this.log([viewer, other], { type: 'logBeginConvo', rev, convoId: id });
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

  /** Hides a direct convo for the viewer (membership stays). Returns the event rev. */
  leave(viewer: string, convoId: string): string {
    this.member(this.convo(viewer, convoId), viewer).left = true;
    return this.bareEvent(viewer, convoId, 'logLeaveConvo');
  }

  // ── messages ──────────────────────────────────────────────────────────────

  /**
   * Sends a message: every member gets `logCreateMessage`, the others' unread counts grow, the
   * sender accepts the convo, and a member who had left sees it again as a request (DEFINE).
   */
  send(viewer: string, convoId: string, input: MessageInput): StoredMessage {
    return this.append(this.convo(viewer, convoId), viewer, input);
  }

  /** Sends several messages, possibly to different convos; none is sent if any convo is invalid. */
  sendBatch(viewer: string, items: readonly { convoId: string; message: MessageInput }[]): StoredMessage[] {
    const convos = items.map((item) => this.convo(viewer, item.convoId));
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
      if (convo.messages[i]!.senderDid !== viewer) unread += 1;
    self.unread = unread;
    this.log([viewer], { type: 'logReadMessage', rev: this.tid(), convoId, message: read });
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
    const convo = this.convo(viewer, convoId);
    const message = this.message(viewer, convoId, messageId);
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

const pairKey = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);
