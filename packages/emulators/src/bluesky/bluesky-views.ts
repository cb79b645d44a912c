/*
 * Renders stored objects as the lexicon views of `chat.bsky.convo.defs` and `chat.bsky.actor.defs`,
 * as seen by one viewer. Union members carry `$type`; datetimes are ISO-8601.
 */

import type { BlueskyAccounts } from './bluesky-accounts.js';
import { LEXICON_LIMITS } from './bluesky-lexicon-limits.js';
import type {
  Convo,
  JoinLink,
  LogEntry,
  MemberState,
  StoredMessage,
  StoredReaction,
  SystemData,
} from './bluesky-model.js';

const CONVO_DEFS = 'chat.bsky.convo.defs';

/** `chat.bsky.actor.defs#profileViewBasic`. */
export interface ProfileViewBasic {
  did: string;
  handle: string;
  displayName?: string;
  associated: { chat: { allowIncoming: 'all' } };
  viewer: { muted: boolean; blockedBy: boolean };
  labels: [];
  chatDisabled: boolean;
  kind?:
    | { $type: 'chat.bsky.actor.defs#directConvoMember' }
    | {
        $type: 'chat.bsky.actor.defs#groupConvoMember';
        role: 'owner' | 'standard';
        addedBy?: ProfileViewBasic;
      };
}

/** `chat.bsky.convo.defs#systemMessageView`. */
export interface SystemMessageView {
  $type: `${typeof CONVO_DEFS}#systemMessageView`;
  id: string;
  rev: string;
  sentAt: string;
  data: Record<string, unknown> & { $type: string };
}

/** `chat.bsky.group.defs#joinLinkView`. */
export interface JoinLinkView {
  code: string;
  enabledStatus: 'enabled' | 'disabled';
  requireApproval: boolean;
  joinRule: 'anyone' | 'followedByOwner';
  createdAt: string;
}

/** `chat.bsky.convo.defs#reactionView`. */
export interface ReactionView {
  value: string;
  sender: { did: string };
  createdAt: string;
}

/** `chat.bsky.convo.defs#messageView`. */
export interface MessageView {
  $type: `${typeof CONVO_DEFS}#messageView`;
  id: string;
  rev: string;
  text: string;
  facets?: unknown[];
  embed?: {
    $type: 'app.bsky.embed.record#view';
    record: { $type: 'app.bsky.embed.record#viewNotFound'; uri: string; notFound: true };
  };
  reactions?: ReactionView[];
  sender: { did: string };
  sentAt: string;
}

/** `chat.bsky.convo.defs#deletedMessageView`. */
export interface DeletedMessageView {
  $type: `${typeof CONVO_DEFS}#deletedMessageView`;
  id: string;
  rev: string;
  sender: { did: string };
  sentAt: string;
}

/** `chat.bsky.convo.defs#convoView` of a direct convo. */
export interface ConvoView {
  id: string;
  rev: string;
  members: ProfileViewBasic[];
  lastMessage?: MessageView | DeletedMessageView | SystemMessageView;
  lastReaction?: {
    $type: `${typeof CONVO_DEFS}#messageAndReactionView`;
    message: MessageView;
    reaction: ReactionView;
  };
  muted: boolean;
  status: 'request' | 'accepted';
  unreadCount: number;
  kind:
    | { $type: `${typeof CONVO_DEFS}#directConvo` }
    | {
        $type: `${typeof CONVO_DEFS}#groupConvo`;
        name: string;
        createdAt: string;
        lockStatus: string;
        memberCount: number;
        memberLimit: number;
        joinLink?: JoinLinkView;
        joinRequestCount?: number;
        unreadJoinRequestCount?: number;
      };
}

/** One member of the `logs` union of `chat.bsky.convo.getLog`. */
export interface LogView {
  $type: string;
  rev: string;
  convoId: string;
  message?: MessageView | DeletedMessageView | SystemMessageView;
  reaction?: ReactionView;
  relatedProfiles?: ProfileViewBasic[];
  member?: ProfileViewBasic;
}

/** The DIDs a system message names. */
function systemDids(data: SystemData): string[] {
  const dids: string[] = [];
  for (const key of ['member', 'addedBy', 'removedBy', 'approvedBy', 'lockedBy', 'unlockedBy'] as const) {
    const value = (data as Record<string, unknown>)[key];
    if (typeof value === 'string') dids.push(value);
  }
  return dids;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** View renderers bound to the PDS's accounts. */
export class BlueskyViews {
  constructor(private readonly accounts: BlueskyAccounts) {}

  /** The profile of an account (every account allows incoming chats from everyone). */
  profile(did: string): ProfileViewBasic {
    const account = this.accounts.get(did);
    return {
      did: account.did,
      handle: account.handle,
      ...(account.displayName === undefined ? {} : { displayName: account.displayName }),
      associated: { chat: { allowIncoming: 'all' } },
      viewer: { muted: false, blockedBy: false },
      labels: [],
      chatDisabled: false,
      kind: { $type: 'chat.bsky.actor.defs#directConvoMember' },
    };
  }

  /** A member's profile with its `groupConvoMember` kind (role, who added it) in a group. */
  member(member: MemberState, convo: Convo): ProfileViewBasic {
    const profile = this.profile(member.did);
    if (!convo.group) return profile;
    return {
      ...profile,
      kind: {
        $type: 'chat.bsky.actor.defs#groupConvoMember',
        role: member.role ?? 'standard',
        ...(member.addedBy && this.accounts.find(member.addedBy)
          ? { addedBy: { ...this.profile(member.addedBy), kind: undefined } }
          : {}),
      },
    };
  }

  /** A `joinLinkView`. */
  joinLink(link: JoinLink): JoinLinkView {
    return {
      code: link.code,
      enabledStatus: link.enabled ? 'enabled' : 'disabled',
      requireApproval: link.requireApproval,
      joinRule: link.joinRule,
      createdAt: iso(link.createdAt),
    };
  }

  /** The `systemMessageView` of a group's system message. */
  systemMessage(message: StoredMessage): SystemMessageView {
    const data = message.system!;
    const { type, ...fields } = data as SystemData & Record<string, unknown>;
    const refs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields))
      refs[key] = typeof value === 'string' && value.startsWith('did:') ? { did: value } : value;
    return {
      $type: `${CONVO_DEFS}#systemMessageView`,
      id: message.id,
      rev: message.rev,
      sentAt: iso(message.sentAt),
      data: { $type: `${CONVO_DEFS}#${type}`, ...refs },
    };
  }

  /** Profiles of everyone who authored or reacted to `messages` or is named by a system message, each once. */
  relatedProfiles(messages: readonly StoredMessage[]): ProfileViewBasic[] {
    const dids = new Set<string>();
    for (const message of messages) {
      if (message.system) {
        for (const did of systemDids(message.system)) dids.add(did);
        continue;
      }
      dids.add(message.senderDid);
      for (const reaction of message.reactions ?? []) dids.add(reaction.senderDid);
    }
    return [...dids].map((did) => this.profile(did));
  }

  /** A message as `viewer` sees it: a `deletedMessageView` once the viewer deleted it. */
  message(message: StoredMessage, viewer: string): MessageView | DeletedMessageView | SystemMessageView {
    if (message.system) return this.systemMessage(message);
    return message.deletedFor?.has(viewer) ? this.deletedMessage(message) : this.liveMessage(message);
  }

  /** A message in a union that has no `systemMessageView` (logCreateMessage, reactions): never a system one. */
  private plainMessage(message: StoredMessage, viewer: string): MessageView | DeletedMessageView {
    return message.deletedFor?.has(viewer) ? this.deletedMessage(message) : this.liveMessage(message);
  }

  /** The `deletedMessageView` of a message. */
  deletedMessage(message: StoredMessage): DeletedMessageView {
    return {
      $type: `${CONVO_DEFS}#deletedMessageView`,
      id: message.id,
      rev: message.rev,
      sender: { did: message.senderDid },
      sentAt: iso(message.sentAt),
    };
  }

  /** The `messageView` of a message. Record embeds render as `viewNotFound` (no AppView here). */
  liveMessage(message: StoredMessage): MessageView {
    return {
      $type: `${CONVO_DEFS}#messageView`,
      id: message.id,
      rev: message.rev,
      text: message.text,
      ...(message.facets ? { facets: message.facets } : {}),
      ...(message.embedUri
        ? {
            embed: {
              $type: 'app.bsky.embed.record#view',
              record: { $type: 'app.bsky.embed.record#viewNotFound', uri: message.embedUri, notFound: true },
            },
          }
        : {}),
      ...(message.reactions ? { reactions: message.reactions.map((r) => this.reaction(r)) } : {}),
      sender: { did: message.senderDid },
      sentAt: iso(message.sentAt),
    };
  }

  /** A `reactionView`. */
  reaction(reaction: StoredReaction): ReactionView {
    return { value: reaction.value, sender: { did: reaction.senderDid }, createdAt: iso(reaction.createdAt) };
  }

  /** A `convoView` as `viewer` sees it (their mute, status and unread count). */
  convo(convo: Convo, viewer: string): ConvoView {
    const self = convo.members.find((m) => m.did === viewer)!;
    const last = convo.messages.at(-1);
    const lastReaction = convo.lastReaction;
    return {
      id: convo.id,
      rev: convo.rev,
      members: this.convoMembers(convo, viewer),
      ...(last ? { lastMessage: this.message(last, viewer) } : {}),
      ...(lastReaction && !lastReaction.message.deletedFor?.has(viewer)
        ? {
            lastReaction: {
              $type: `${CONVO_DEFS}#messageAndReactionView`,
              message: this.liveMessage(lastReaction.message),
              reaction: this.reaction(lastReaction.reaction),
            },
          }
        : {}),
      muted: self.muted,
      status: self.status,
      unreadCount: self.unread,
      kind: convo.group ? this.groupKind(convo, viewer) : { $type: `${CONVO_DEFS}#directConvo` },
    };
  }

  /**
   * A convo's `members`: both members of a direct convo; for a group the "important" ones
   * (DEFINE: the first {@link LEXICON_LIMITS.groupViewMembers} in joining order, plus the viewer).
   */
  private convoMembers(convo: Convo, viewer: string): ProfileViewBasic[] {
    if (!convo.group) return convo.members.map((m) => this.profile(m.did));
    const shown = convo.members.slice(0, LEXICON_LIMITS.groupViewMembers);
    const self = convo.members.find((m) => m.did === viewer);
    if (self && !shown.includes(self)) shown.push(self);
    return shown.map((m) => this.member(m, convo));
  }

  private groupKind(convo: Convo, viewer: string): ConvoView['kind'] {
    const group = convo.group!;
    const owner = convo.members.find((m) => m.did === viewer)?.role === 'owner';
    return {
      $type: `${CONVO_DEFS}#groupConvo`,
      name: group.name,
      createdAt: iso(group.createdAt),
      lockStatus: group.lockStatus,
      memberCount: convo.members.length,
      memberLimit: group.memberLimit,
      ...(group.joinLink ? { joinLink: this.joinLink(group.joinLink) } : {}),
      ...(owner
        ? {
            joinRequestCount: Math.min(group.joinRequests.size, 21),
            unreadJoinRequestCount: Math.min(group.unreadJoinRequests, group.joinRequests.size),
          }
        : {}),
    };
  }

  /** A log event as `viewer` sees it. */
  log(entry: LogEntry, viewer: string): LogView {
    const base = { $type: `${CONVO_DEFS}#${entry.type}`, rev: entry.rev, convoId: entry.convoId };
    switch (entry.type) {
      case 'logCreateMessage':
        return {
          ...base,
          message: this.plainMessage(entry.message, viewer),
          relatedProfiles: this.relatedProfiles([entry.message]),
        };
      case 'logDeleteMessage':
        return { ...base, message: this.deletedMessage(entry.message) };
      case 'logReadMessage':
      case 'logReadConvo':
        return { ...base, message: this.message(entry.message, viewer) };
      case 'logAddMember':
      case 'logRemoveMember':
      case 'logMemberJoin':
      case 'logMemberLeave':
      case 'logLockConvo':
      case 'logUnlockConvo':
        return {
          ...base,
          message: this.systemMessage(entry.message),
          relatedProfiles: this.relatedProfiles([entry.message]),
        };
      case 'logEditGroup':
      case 'logCreateJoinLink':
      case 'logEditJoinLink':
      case 'logEnableJoinLink':
      case 'logDisableJoinLink':
        return { ...base, message: this.systemMessage(entry.message) };
      case 'logIncomingJoinRequest':
      case 'logApproveJoinRequest':
      case 'logRejectJoinRequest':
      case 'logWithdrawIncomingJoinRequest':
        return { ...base, member: this.profile(entry.member!) };
      case 'logAddReaction':
      case 'logRemoveReaction':
        return {
          ...base,
          message: this.plainMessage(entry.message, viewer),
          reaction: this.reaction(entry.reaction),
          relatedProfiles: [...new Set([entry.message.senderDid, entry.reaction.senderDid])].map((did) =>
            this.profile(did),
          ),
        };
      default:
        return base;
    }
  }
}
