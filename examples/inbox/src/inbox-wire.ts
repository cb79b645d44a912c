import { type ChatEvent, type Message, SwitchboardError } from '@switchboard/core';
import {
  type AccountHealth,
  formatConversationRef,
  formatMessageRef,
  type Inbox,
  type InboxConversation,
} from '@switchboard/inbox';

/**
 * The JSON the page receives: plain data, dates as ISO strings, every id a qualified inbox ref
 * (`account:conversationId[:messageId]`), so the page never needs to know which provider is which.
 * @module
 */

export interface WireError {
  name: string;
  code?: string;
  message: string;
}

export function wireError(error: unknown): WireError {
  if (SwitchboardError.isInstance(error))
    return { name: error.name, code: error.code, message: error.message };
  return { name: 'Error', message: error instanceof Error ? error.message : String(error) };
}

export function wireHealth(health: AccountHealth) {
  return {
    account: health.account,
    provider: health.provider,
    state: health.state,
    since: health.since.toISOString(),
    ...(health.lastError === undefined ? {} : { lastError: wireError(health.lastError) }),
  };
}

export function wireAccount(inbox: Inbox, account: string) {
  const capabilities = inbox.capabilities(account);
  return {
    account,
    provider: inbox.messenger(account).provider,
    capabilities: {
      markRead: capabilities.markRead,
      reactions: capabilities.reactions,
      streamedReplies: capabilities.streamedReplies,
      listMessages: capabilities.listMessages,
      maxTextLength: capabilities.maxTextLength,
      pageSize: capabilities.pageSize,
    },
    health: wireHealth(inbox.health(account)),
    unread: inbox.unread().byAccount[account] ?? 0,
  };
}

export function wireMessage(account: string, message: Message) {
  return {
    id: formatMessageRef({ account, conversationId: message.conversationId, messageId: message.id }),
    conversation: formatConversationRef({ account, conversationId: message.conversationId }),
    account,
    messageId: message.id,
    sender: {
      name: message.sender.displayName ?? message.sender.handle ?? message.sender.id,
      isSelf: message.sender.isSelf,
    },
    text: message.deleted ? '' : message.text,
    deleted: message.deleted === true,
    sentAt: message.sentAt.toISOString(),
    reactions: message.reactions.map((r) => ({ value: r.value, senderId: r.senderId })),
  };
}

export function wireConversation(item: InboxConversation) {
  const { conversation } = item;
  const others = conversation.participants.filter((p) => !p.isSelf);
  return {
    id: item.id,
    account: item.account,
    provider: item.provider,
    title:
      conversation.title ??
      (others.map((p) => p.displayName ?? p.handle ?? p.id).join(', ') || conversation.id),
    activityAt: item.activityAt?.toISOString(),
    unreadCount: item.unreadCount,
    lastText: conversation.lastMessage?.text,
  };
}

/** The realtime events the page uses, as `[sse event name, data]`, or undefined for the others. */
export function wireEvent(account: string, event: ChatEvent): [string, unknown] | undefined {
  const conversation = formatConversationRef({ account, conversationId: event.conversationId });
  switch (event.type) {
    case 'message.created':
      return ['message', { ...wireMessage(account, event.message), replyId: event.replyId }];
    case 'message.delta':
      return ['delta', { conversation, replyId: event.replyId, index: event.index, delta: event.delta }];
    case 'reaction.added':
    case 'reaction.removed':
      return [
        'reaction',
        {
          conversation,
          message: formatMessageRef({
            account,
            conversationId: event.conversationId,
            messageId: event.messageId,
          }),
          value: event.reaction.value,
          senderId: event.reaction.senderId,
          added: event.type === 'reaction.added',
        },
      ];
    default:
      return undefined;
  }
}
