/*
 * Renders stored objects as the lexicon views of `chat.bsky.convo.defs` and `chat.bsky.actor.defs`,
 * as seen by one viewer. Union members carry `$type`; datetimes are ISO-8601.
 */

import type { BlueskyAccounts } from './bluesky-accounts.js';
import type { Convo, LogEntry, StoredMessage, StoredReaction } from './bluesky-model.js';

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
  kind: { $type: 'chat.bsky.actor.defs#directConvoMember' };
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
  lastMessage?: MessageView | DeletedMessageView;
  lastReaction?: {
    $type: `${typeof CONVO_DEFS}#messageAndReactionView`;
    message: MessageView;
    reaction: ReactionView;
  };
  muted: boolean;
  status: 'request' | 'accepted';
  unreadCount: number;
  kind: { $type: `${typeof CONVO_DEFS}#directConvo` };
}

/** One member of the `logs` union of `chat.bsky.convo.getLog`. */
export interface LogView {
  $type: string;
  rev: string;
  convoId: string;
  message?: MessageView | DeletedMessageView;
  reaction?: ReactionView;
  relatedProfiles?: ProfileViewBasic[];
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

  /** Profiles of everyone who authored or reacted to `messages`, each once. */
  relatedProfiles(messages: readonly StoredMessage[]): ProfileViewBasic[] {
    const dids = new Set<string>();
    for (const message of messages) {
      dids.add(message.senderDid);
      for (const reaction of message.reactions ?? []) dids.add(reaction.senderDid);
    }
    return [...dids].map((did) => this.profile(did));
  }

  /** A message as `viewer` sees it: a `deletedMessageView` once the viewer deleted it. */
  message(message: StoredMessage, viewer: string): MessageView | DeletedMessageView {
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
      members: convo.members.map((m) => this.profile(m.did)),
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
      kind: { $type: `${CONVO_DEFS}#directConvo` },
    };
  }

  /** A log event as `viewer` sees it. */
  log(entry: LogEntry, viewer: string): LogView {
    const base = { $type: `${CONVO_DEFS}#${entry.type}`, rev: entry.rev, convoId: entry.convoId };
    switch (entry.type) {
      case 'logCreateMessage':
        return {
          ...base,
          message: this.message(entry.message, viewer),
          relatedProfiles: this.relatedProfiles([entry.message]),
        };
      case 'logDeleteMessage':
        return { ...base, message: this.deletedMessage(entry.message) };
      case 'logReadMessage':
        return { ...base, message: this.message(entry.message, viewer) };
      case 'logAddReaction':
      case 'logRemoveReaction':
        return {
          ...base,
          message: this.message(entry.message, viewer),
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
