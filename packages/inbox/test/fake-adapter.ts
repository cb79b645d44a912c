import {
  type CapabilitiesInput,
  type ChatAdapter,
  type ChatEvent,
  type Conversation,
  defineCapabilities,
  type EventSink,
  type Message,
  NetworkError,
} from '@switchboard/core';
import { capabilitiesWith } from '../../core/test/capabilities-fixture.js';

/** A conversation seed: id and activity time (ms), or `undefined` for a conversation without one. */
export interface FakeConversation {
  id: string;
  at?: number;
  unread?: number;
  /** Id of the conversation's last message (from the peer), listed with it. */
  lastMessageId?: string;
}

/**
 * An in-process adapter for the inbox's unit and property tests: lists the given conversations in the
 * given order, `pageSize` at a time (its maximum page too, which `messenger.conversations()` asks for), and counts what it handed out so tests can bound memory.
 */
export interface FakeAdapter extends ChatAdapter {
  /** Conversations handed out by listConversations so far. */
  fetched: number;
  /** Pages requested so far. */
  pages: number;
  /** Makes the next list calls (from page `fromPage` on, 0-based) fail with a NetworkError. */
  failFromPage?: number;
  /** Pushes an event to the subscriber (if started). */
  push(event: ChatEvent): void;
  /** Current subscriber, while started. */
  sink?: EventSink;
  readCalls: string[];
}

export function fakeMessage(provider: string, conversationId: string, id: string, isSelf: boolean): Message {
  return {
    id,
    conversationId,
    provider,
    sender: { id: isSelf ? 'me' : 'peer', kind: 'user', isSelf },
    text: `text ${id}`,
    attachments: [],
    sentAt: new Date(0),
    reactions: [],
    raw: {},
  };
}

export function createFakeAdapter(
  provider: string,
  conversations: FakeConversation[],
  options: { pageSize?: number; capabilities?: Partial<CapabilitiesInput> } = {},
): FakeAdapter {
  const pageSize = options.pageSize ?? 10;
  const adapter: FakeAdapter = {
    specificationVersion: 'v1',
    provider,
    capabilities: defineCapabilities(
      capabilitiesWith({
        listConversations: true,
        listMessages: true,
        markRead: true,
        realtime: 'stream',
        maxTextLength: 100,
        pageSize: { min: 1, max: pageSize, default: pageSize },
        ...options.capabilities,
      }),
    ),
    fetched: 0,
    pages: 0,
    readCalls: [],
    async listConversations({ cursor, limit }) {
      if (adapter.failFromPage !== undefined && adapter.pages >= adapter.failFromPage) {
        throw new NetworkError(`${provider} is down`, { provider });
      }
      adapter.pages += 1;
      const offset = cursor === undefined ? 0 : Number(cursor);
      const size = limit ?? pageSize;
      const items: Conversation[] = conversations.slice(offset, offset + size).map((c) => ({
        id: c.id,
        provider,
        kind: 'direct',
        participants: [],
        ...(c.at === undefined ? {} : { updatedAt: new Date(c.at) }),
        ...(c.unread === undefined ? {} : { unreadCount: c.unread }),
        ...(c.lastMessageId === undefined
          ? {}
          : { lastMessage: fakeMessage(provider, c.id, c.lastMessageId, false) }),
        raw: {},
      }));
      adapter.fetched += items.length;
      const next = offset + size;
      return next < conversations.length ? { items, nextCursor: String(next) } : { items };
    },
    async listMessages(conversationId) {
      return { items: [fakeMessage(provider, conversationId, 'm1', false)] };
    },
    async sendMessage(conversationId, message) {
      return { ...fakeMessage(provider, conversationId, `sent-${message.text}`, true), text: message.text };
    },
    async markRead(conversationId) {
      adapter.readCalls.push(conversationId);
    },
    async subscribe(sink) {
      adapter.sink = sink;
      return {
        async close() {
          adapter.sink = undefined;
        },
      };
    },
    push(event) {
      adapter.sink?.(event);
    },
  };
  return adapter;
}
