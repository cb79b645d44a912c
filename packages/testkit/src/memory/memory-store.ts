import { MemoryApiError } from './memory-api-error.js';
import {
  createMemoryEventLog,
  type MemoryEvent,
  type MemoryEventKind,
  type MemoryEventLog,
} from './memory-event-log.js';

/** Longest message text the memory backend stores, in grapheme clusters. */
export const MEMORY_MAX_TEXT_GRAPHEMES = 2_000;

/** A user of the memory chat service. */
export interface MemoryUser {
  id: string;
  handle: string;
  displayName: string;
}

/** An attachment, stored by URL. */
export interface MemoryAttachment {
  kind: 'image' | 'file';
  url: string;
  name: string | null;
}

/** One user's reaction on a message; `createdAt` in epoch ms. */
export interface MemoryReaction {
  value: string;
  userId: string;
  createdAt: number;
}

/** A stored message; `seq` orders messages across the service, times are epoch ms. */
export interface MemoryMessage {
  id: string;
  seq: number;
  conversationId: string;
  senderId: string;
  text: string;
  attachments: MemoryAttachment[];
  replyToId: string | null;
  sentAt: number;
  editedAt: number | null;
  deleted: boolean;
  reactions: MemoryReaction[];
}

/** A stored conversation. */
export interface MemoryConversation {
  id: string;
  kind: 'direct' | 'group';
  title: string | null;
  /** Current members (leaving removes one). */
  memberIds: string[];
  /** For direct conversations: the two user ids, sorted and joined, to find it again. */
  directKey: string | null;
  mutedBy: Set<string>;
  /** Per user: the `seq` of the last message they read. */
  readUpTo: Map<string, number>;
  /** Sequence of the last activity; conversations list newest activity first. */
  activity: number;
  updatedAt: number;
  /** Oldest first. */
  messages: MemoryMessage[];
}

/** What a message post carries. */
export interface MemoryPost {
  text: string;
  attachments?: MemoryAttachment[];
  replyToId?: string | null;
}

/** A reply about to be streamed: who answers, and the text in the chunks it will arrive in. */
export interface MemoryReplyDraft {
  replyId: string;
  senderId: string;
  chunks: string[];
}

/** Code points per streamed reply chunk. */
const REPLY_CHUNK = 12;
/** Longest quote of the question in a reply, in graphemes. */
const REPLY_QUOTE = 200;

/** One page of a keyset listing: `next` is the sequence to continue below, when more remain. */
export interface MemorySlice<T> {
  items: T[];
  next?: number;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const graphemes = (text: string) => [...segmenter.segment(text)].length;

/** The memory chat service's state: users, conversations, messages and the event feed. */
export function createMemoryStore() {
  const users = new Map<string, MemoryUser>();
  const conversations = new Map<string, MemoryConversation>();
  const events: MemoryEventLog = createMemoryEventLog();
  let seq = 0;
  let lastTime = 0;
  const nextSeq = () => ++seq;
  const now = () => {
    lastTime = Math.max(Date.now(), lastTime + 1);
    return lastTime;
  };

  const touch = (conversation: MemoryConversation) => {
    conversation.activity = nextSeq();
    conversation.updatedAt = now();
  };

  const emit = (
    kind: MemoryEventKind,
    conversation: MemoryConversation,
    extra: Pick<MemoryEvent, 'messageId' | 'userId' | 'reaction' | 'replyId' | 'index' | 'text'> = {},
  ) =>
    events.append({ kind, conversationId: conversation.id, audience: [...conversation.memberIds], ...extra });

  const user = (idOrHandle: string): MemoryUser => {
    const found = users.get(idOrHandle) ?? [...users.values()].find((u) => u.handle === idOrHandle);
    if (!found) throw new MemoryApiError(404, 'user_not_found', `No user ${idOrHandle}.`);
    return found;
  };

  const conversation = (userId: string, id: string): MemoryConversation => {
    const found = conversations.get(id);
    if (!found) throw new MemoryApiError(404, 'conversation_not_found', `No conversation ${id}.`);
    if (!found.memberIds.includes(userId))
      throw new MemoryApiError(409, 'not_a_member', `You are not a member of conversation ${id}.`);
    return found;
  };

  const message = (userId: string, conversationId: string, messageId: string): MemoryMessage => {
    const found = conversation(userId, conversationId).messages.find((m) => m.id === messageId);
    if (!found) throw new MemoryApiError(404, 'message_not_found', `No message ${messageId}.`);
    return found;
  };

  const ownMessage = (userId: string, conversationId: string, messageId: string): MemoryMessage => {
    const found = message(userId, conversationId, messageId);
    if (found.senderId !== userId)
      throw new MemoryApiError(403, 'not_author', 'Only the author may change a message.');
    if (found.deleted)
      throw new MemoryApiError(404, 'message_not_found', `Message ${messageId} was deleted.`);
    return found;
  };

  const checkText = (text: string, hasAttachments: boolean) => {
    if (text.trim() === '' && !hasAttachments)
      throw new MemoryApiError(400, 'text_empty', 'Text must not be empty.');
    if (graphemes(text) > MEMORY_MAX_TEXT_GRAPHEMES)
      throw new MemoryApiError(400, 'text_too_long', `Text is over ${MEMORY_MAX_TEXT_GRAPHEMES} graphemes.`);
  };

  return {
    events,
    addUser(input: MemoryUser): MemoryUser {
      users.set(input.id, input);
      return input;
    },
    user,
    conversation,
    message,
    /** A conversation by id whoever asks (for rendering events); `undefined` when unknown. */
    peek: (id: string): MemoryConversation | undefined => conversations.get(id),

    open(actorId: string, participantIds: string[], title: string | null): MemoryConversation {
      const others = [...new Set(participantIds.map((p) => user(p).id))].filter((id) => id !== actorId);
      if (others.length === 0)
        throw new MemoryApiError(400, 'invalid_participants', 'Name at least one other participant.');
      const directKey = others.length === 1 && title === null ? [actorId, others[0]].sort().join(' ') : null;
      const existing = directKey && [...conversations.values()].find((c) => c.directKey === directKey);
      if (existing) {
        for (const id of [actorId, ...others])
          if (!existing.memberIds.includes(id)) existing.memberIds.push(id);
        return existing;
      }
      const created: MemoryConversation = {
        id: `conv_${conversations.size + 1}`,
        kind: directKey ? 'direct' : 'group',
        title,
        memberIds: [actorId, ...others],
        directKey,
        mutedBy: new Set(),
        readUpTo: new Map(),
        activity: 0,
        updatedAt: 0,
        messages: [],
      };
      touch(created);
      conversations.set(created.id, created);
      emit('conversation_started', created);
      return created;
    },

    list(userId: string, before: number | undefined, limit: number): MemorySlice<MemoryConversation> {
      const mine = [...conversations.values()]
        .filter((c) => c.memberIds.includes(userId) && (before === undefined || c.activity < before))
        .sort((a, b) => b.activity - a.activity);
      const items = mine.slice(0, limit);
      return mine.length > limit ? { items, next: items.at(-1)!.activity } : { items };
    },

    leave(userId: string, id: string): void {
      const found = conversation(userId, id);
      emit('conversation_left', found, { userId });
      found.memberIds = found.memberIds.filter((memberId) => memberId !== userId);
    },

    mute(userId: string, id: string, muted: boolean): MemoryConversation {
      const found = conversation(userId, id);
      if (muted) found.mutedBy.add(userId);
      else found.mutedBy.delete(userId);
      events.append({
        kind: muted ? 'conversation_muted' : 'conversation_unmuted',
        conversationId: id,
        userId,
        audience: [userId],
      });
      return found;
    },

    history(
      userId: string,
      conversationId: string,
      before: number | undefined,
      limit: number,
    ): MemorySlice<MemoryMessage> {
      const older = conversation(userId, conversationId).messages.filter(
        (m) => before === undefined || m.seq < before,
      );
      const items = older.slice(-limit).reverse();
      return older.length > limit ? { items, next: items.at(-1)!.seq } : { items };
    },

    /** Stores a message; `replyId` marks the whole of a streamed reply. */
    post(senderId: string, conversationId: string, post: MemoryPost, replyId?: string): MemoryMessage {
      const found = conversation(senderId, conversationId);
      const attachments = post.attachments ?? [];
      checkText(post.text, attachments.length > 0);
      if (post.replyToId && !found.messages.some((m) => m.id === post.replyToId))
        throw new MemoryApiError(400, 'invalid_reply', `No message ${post.replyToId} to reply to.`);
      const messageSeq = nextSeq();
      const created: MemoryMessage = {
        id: `msg_${messageSeq}`,
        seq: messageSeq,
        conversationId,
        senderId,
        text: post.text,
        attachments,
        replyToId: post.replyToId ?? null,
        sentAt: now(),
        editedAt: null,
        deleted: false,
        reactions: [],
      };
      found.messages.push(created);
      found.readUpTo.set(senderId, created.seq);
      touch(found);
      emit('message_posted', found, { messageId: created.id, ...(replyId && { replyId }) });
      return created;
    },

    /**
     * Drafts the answer to `text` by the conversation's first other member, as an assistant would:
     * `You said: "…"`, cut into chunks to stream.
     */
    draftReply(askerId: string, conversationId: string, text: string): MemoryReplyDraft {
      const senderId = conversation(askerId, conversationId).memberIds.find((id) => id !== askerId);
      if (senderId === undefined)
        throw new MemoryApiError(409, 'no_one_to_answer', 'Nobody else is in this conversation.');
      const quote = [...segmenter.segment(text)].map((s) => s.segment);
      const cut = quote.length > REPLY_QUOTE ? '…' : '';
      const answer = [...`You said: "${quote.slice(0, REPLY_QUOTE).join('')}${cut}"`];
      const chunks: string[] = [];
      for (let i = 0; i < answer.length; i += REPLY_CHUNK)
        chunks.push(answer.slice(i, i + REPLY_CHUNK).join(''));
      return { replyId: `reply_${nextSeq()}`, senderId, chunks };
    },

    /** Reports one chunk of a reply being streamed to the conversation's members. */
    streamChunk(conversationId: string, replyId: string, index: number, text: string): void {
      const found = conversations.get(conversationId);
      if (found) emit('reply_delta', found, { replyId, index, text });
    },

    edit(userId: string, conversationId: string, messageId: string, text: string): MemoryMessage {
      const found = ownMessage(userId, conversationId, messageId);
      checkText(text, found.attachments.length > 0);
      found.text = text;
      found.editedAt = now();
      emit('message_edited', conversation(userId, conversationId), { messageId });
      return found;
    },

    remove(userId: string, conversationId: string, messageId: string): void {
      const found = ownMessage(userId, conversationId, messageId);
      Object.assign(found, { deleted: true, text: '', attachments: [], reactions: [] });
      emit('message_deleted', conversation(userId, conversationId), { messageId });
    },

    markRead(userId: string, conversationId: string, messageId: string | undefined): void {
      const found = conversation(userId, conversationId);
      const upTo =
        messageId === undefined ? found.messages.at(-1) : message(userId, conversationId, messageId);
      found.readUpTo.set(userId, Math.max(found.readUpTo.get(userId) ?? 0, upTo?.seq ?? 0));
      emit('read', found, { userId, ...(upTo && { messageId: upTo.id }) });
    },

    react(userId: string, conversationId: string, messageId: string, value: string, on: boolean): void {
      const found = message(userId, conversationId, messageId);
      if (found.deleted)
        throw new MemoryApiError(404, 'message_not_found', `Message ${messageId} was deleted.`);
      const index = found.reactions.findIndex((r) => r.value === value && r.userId === userId);
      if (on === index >= 0) return;
      if (on) found.reactions.push({ value, userId, createdAt: now() });
      else found.reactions.splice(index, 1);
      emit(on ? 'reaction_added' : 'reaction_removed', conversation(userId, conversationId), {
        messageId,
        userId,
        reaction: value,
      });
    },

    /** Messages from others after the user's read marker. */
    unreadCount(userId: string, found: MemoryConversation): number {
      const readUpTo = found.readUpTo.get(userId) ?? 0;
      return found.messages.filter((m) => m.seq > readUpTo && m.senderId !== userId && !m.deleted).length;
    },
  };
}

/** The memory chat service's state. */
export type MemoryStore = ReturnType<typeof createMemoryStore>;
