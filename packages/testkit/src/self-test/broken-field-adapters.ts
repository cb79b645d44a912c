import type { ChatAdapter, Conversation, Message, Participant } from '@switchboard/core';
import { createMemoryAdapter, type MemoryAdapterOptions } from '../memory/memory-adapter.js';
import type { BrokenVariant } from './broken-memory-adapters.js';

/** The reference adapter with every message it reads (`getMessage`, `listMessages`) passed through `rewrite`. */
function rewritingMessageReads(
  options: MemoryAdapterOptions,
  rewrite: (message: Message) => Message,
): ChatAdapter {
  const adapter = createMemoryAdapter(options);
  return {
    ...adapter,
    async getMessage(conversationId, messageId, callOptions) {
      return rewrite(await adapter.getMessage!(conversationId, messageId, callOptions));
    },
    async listMessages(conversationId, params, callOptions) {
      const page = await adapter.listMessages!(conversationId, params, callOptions);
      return { ...page, items: page.items.map(rewrite) };
    },
  };
}

/** The reference adapter with the conversations `listConversations` (and, with `alsoGet`, `getConversation`) returns rewritten. */
function rewritingConversationReads(
  options: MemoryAdapterOptions,
  rewrite: (conversation: Conversation) => Conversation,
  { alsoGet = true } = {},
): ChatAdapter {
  const adapter = createMemoryAdapter(options);
  return {
    ...adapter,
    ...(alsoGet && {
      async getConversation(conversationId, callOptions) {
        return rewrite(await adapter.getConversation!(conversationId, callOptions));
      },
    }),
    async listConversations(params, callOptions) {
      const page = await adapter.listConversations!(params, callOptions);
      return { ...page, items: page.items.map(rewrite) };
    },
  };
}

const withoutDisplayName = ({ displayName: _dropped, ...participant }: Participant): Participant =>
  participant;

/** Variants for the field cases (`field-*`): each drops or garbles one optional field. */
export const fieldBrokenVariants: readonly BrokenVariant[] = [
  {
    name: 'never sends replyToId (the reply is stored as a plain message)',
    factory: (options) => {
      const adapter = createMemoryAdapter(options);
      return {
        ...adapter,
        sendMessage: (conversationId, { replyToId: _dropped, ...message }, callOptions) =>
          adapter.sendMessage(conversationId, message, callOptions),
      };
    },
    caughtBy: 'field-reply-round-trip',
    failure: /not stored as a reply/,
  },
  {
    name: 'drops replyToId when reading a message back',
    factory: (options) => rewritingMessageReads(options, ({ replyToId: _dropped, ...message }) => message),
    caughtBy: 'field-reply-round-trip',
    failure: /getMessage: the reply read back has replyToId undefined/,
  },
  {
    name: 'drops editedAt when reading a message back',
    factory: (options) => rewritingMessageReads(options, ({ editedAt: _dropped, ...message }) => message),
    caughtBy: 'field-edited-at',
    failure: /getMessage: the edited message has no valid editedAt/,
  },
  {
    name: 'reports editedAt on messages never edited (epoch 0 for a missing value)',
    factory: (options) =>
      rewritingMessageReads(options, (message) => ({
        ...message,
        editedAt: message.editedAt ?? new Date(0),
      })),
    caughtBy: 'field-edited-at',
    failure: /a message never edited has editedAt/,
  },
  {
    name: 'drops attachment names when reading a message back',
    factory: (options) =>
      rewritingMessageReads(options, (message) => ({
        ...message,
        attachments: message.attachments.map(({ name: _dropped, ...attachment }) => attachment),
      })),
    caughtBy: 'field-attachment-names',
    failure: /reads back named undefined/,
  },
  {
    name: "drops participants' displayName",
    factory: (options) =>
      rewritingConversationReads(options, (conversation) => ({
        ...conversation,
        participants: conversation.participants.map(withoutDisplayName),
      })),
    caughtBy: 'field-display-names',
    failure: /no participant has the peer's displayName/,
  },
  {
    name: "drops the sender's displayName of messages read back",
    factory: (options) =>
      rewritingMessageReads(options, (message) => ({
        ...message,
        sender: withoutDisplayName(message.sender),
      })),
    caughtBy: 'field-display-names',
    failure: /listMessages: the sender of the peer's message has another displayName/,
  },
  {
    name: 'lists conversations without lastMessage (getConversation keeps it)',
    factory: (options) =>
      rewritingConversationReads(options, ({ lastMessage: _dropped, ...conversation }) => conversation, {
        alsoGet: false,
      }),
    caughtBy: 'field-last-message',
    failure: /listConversations: after the peer's message, lastMessage is not it/,
  },
];
