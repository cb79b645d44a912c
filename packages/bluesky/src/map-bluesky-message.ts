/**
 * `chat.bsky.convo.defs#messageView` / `#deletedMessageView` → {@link Message}.
 * @module
 */
import type { Attachment, Message, Reaction } from '@switchboard/core';
import { linkAttachments, mentionsFromFacets } from './bluesky-facets.js';
import {
  BlueskyTypes,
  type DeletedMessageView,
  type MessageUnion,
  type MessageView,
  type ReactionView,
} from './bluesky-schemas.js';
import { type BlueskyMappingContext, mapBlueskyParticipant } from './map-bluesky-participant.js';

/** A message view the adapter can map: a message, or a deleted one (tagged by its `$type`). */
export type KnownMessageView =
  | MessageView
  | (DeletedMessageView & { $type: typeof BlueskyTypes.deletedMessageView });

/** The member of a message union, or `undefined` for kinds we do not map (system messages, newer kinds). */
export function knownMessageView(member: MessageUnion | undefined): KnownMessageView | undefined {
  return member === undefined || member.$type === 'unknown' ? undefined : member;
}

/** `reactionView` → {@link Reaction}. */
export function mapBlueskyReaction(view: ReactionView): Reaction {
  return { value: view.value, senderId: view.sender.did, createdAt: new Date(view.createdAt) };
}

/** A record embed (`app.bsky.embed.record#view`, …) as an `embed` attachment; `url` is the record's `at://` URI. */
function embedAttachment(embed: MessageView['embed']): Attachment[] {
  if (!embed) return [];
  const record = (embed as { record?: { uri?: unknown } }).record;
  const uri = typeof record?.uri === 'string' ? record.uri : undefined;
  return [{ kind: 'embed', ...(uri ? { url: uri } : {}), raw: embed }];
}

/**
 * Maps a message view. Links in `facets` become `link` attachments, mention facets become
 * `mentions` (DID, handle as written, UTF-16 range in `text`), and a record embed an `embed`
 * attachment; the facets themselves stay in `raw`. A deleted message has empty text and `deleted: true`.
 */
export function mapBlueskyMessage(
  view: KnownMessageView,
  conversationId: string,
  context: BlueskyMappingContext,
): Message {
  // Each shape is built as one object literal: spreading a shared `base` object costs V8's slow
  // clone path, and this runs for every message of every history page (see docs/benchmarks.md).
  const sender = mapBlueskyParticipant(view.sender.did, context);
  if (view.$type === BlueskyTypes.deletedMessageView) {
    return {
      id: view.id,
      conversationId,
      provider: 'bluesky',
      sender,
      text: '',
      attachments: [],
      sentAt: new Date(view.sentAt),
      deleted: true,
      reactions: [],
      raw: view,
    };
  }
  const message: Message = {
    id: view.id,
    conversationId,
    provider: 'bluesky',
    sender,
    text: view.text,
    attachments:
      view.facets || view.embed
        ? [...linkAttachments(view.text, view.facets), ...embedAttachment(view.embed)]
        : [],
    sentAt: new Date(view.sentAt),
    reactions: view.reactions ? view.reactions.map(mapBlueskyReaction) : [],
    raw: view,
  };
  if (view.replyTo?.id) message.replyToId = view.replyTo.id;
  if (view.facets) {
    const mentions = mentionsFromFacets(view.text, view.facets);
    if (mentions.length) message.mentions = mentions;
  }
  return message;
}

/** The members of a message list (a `getMessages` page) we can map, in their order; other kinds are skipped. */
export function mapBlueskyMessages(
  members: MessageUnion[],
  conversationId: string,
  context: BlueskyMappingContext,
): Message[] {
  return members.flatMap((member) => {
    const view = knownMessageView(member);
    return view ? [mapBlueskyMessage(view, conversationId, context)] : [];
  });
}
