import {
  type Capabilities,
  type CapabilityName,
  type ChatAdapter,
  hasCapability,
  type Message,
  type Messenger,
  type StreamedReply,
} from '@switchboard/core';

/** Ids an operation is called with. */
export interface OperationTarget {
  conversationId: string;
  messageId: string;
  /** An id or handle for `openConversation`. */
  participant: string;
  /** A text to send or edit to. */
  text: string;
}

/** One operation of the Messenger/adapter, callable both ways with the same target. */
export interface ContractOperation {
  /** The adapter method's name, shown in failures. */
  name: keyof ChatAdapter;
  /** The capability it needs; `undefined` for `sendMessage`, which every adapter has. */
  capability: CapabilityName | undefined;
  /** Which of its arguments are ids (for the malformed-id checks). */
  ids: readonly ('conversationId' | 'messageId' | 'participant')[];
  /** Calls it through the Messenger. */
  viaMessenger(messenger: Messenger, target: OperationTarget): Promise<unknown>;
  /** Calls the adapter method directly; `undefined` when the adapter does not implement it. */
  viaAdapter(adapter: ChatAdapter, target: OperationTarget): Promise<unknown> | undefined;
}

const C = ['conversationId'] as const;
const CM = ['conversationId', 'messageId'] as const;

/** Settles once a streamed reply is complete, rejecting with whatever failed first. */
async function untilReplied(started: Promise<StreamedReply>): Promise<[Message, Message]> {
  const stream = await started;
  return Promise.all([stream.userMessage, stream.reply]);
}

/** Every operation that takes part in a request, with how to call it. */
export const contractOperations: readonly ContractOperation[] = [
  {
    name: 'listConversations',
    capability: 'listConversations',
    ids: [],
    viaMessenger: (m) => m.listConversations({}),
    viaAdapter: (a) => a.listConversations?.({}),
  },
  {
    name: 'getConversation',
    capability: 'getConversation',
    ids: C,
    viaMessenger: (m, t) => m.getConversation(t.conversationId),
    viaAdapter: (a, t) => a.getConversation?.(t.conversationId),
  },
  {
    name: 'openConversation',
    capability: 'openConversation',
    ids: ['participant'],
    viaMessenger: (m, t) => m.openConversation({ participants: [t.participant] }),
    viaAdapter: (a, t) => a.openConversation?.({ participantIds: [t.participant] }),
  },
  {
    name: 'deleteConversation',
    capability: 'deleteConversation',
    ids: C,
    viaMessenger: (m, t) => m.deleteConversation(t.conversationId),
    viaAdapter: (a, t) => a.deleteConversation?.(t.conversationId),
  },
  {
    name: 'muteConversation',
    capability: 'muteConversation',
    ids: C,
    viaMessenger: (m, t) => m.muteConversation(t.conversationId),
    viaAdapter: (a, t) => a.muteConversation?.(t.conversationId, true),
  },
  {
    name: 'listMessages',
    capability: 'listMessages',
    ids: C,
    viaMessenger: (m, t) => m.listMessages(t.conversationId),
    viaAdapter: (a, t) => a.listMessages?.(t.conversationId, {}),
  },
  {
    name: 'getMessage',
    capability: 'getMessage',
    ids: CM,
    viaMessenger: (m, t) => m.getMessage(t.conversationId, t.messageId),
    viaAdapter: (a, t) => a.getMessage?.(t.conversationId, t.messageId),
  },
  {
    name: 'sendMessage',
    capability: undefined,
    ids: C,
    viaMessenger: (m, t) => m.send(t.conversationId, t.text),
    viaAdapter: (a, t) => a.sendMessage(t.conversationId, { text: t.text }),
  },
  {
    name: 'streamReply',
    capability: 'streamedReplies',
    ids: C,
    viaMessenger: (m, t) => untilReplied(m.sendStreaming(t.conversationId, t.text)),
    viaAdapter: (a, t) => a.streamReply && untilReplied(a.streamReply(t.conversationId, { text: t.text })),
  },
  {
    name: 'editMessage',
    capability: 'editMessage',
    ids: CM,
    viaMessenger: (m, t) => m.edit(t.conversationId, t.messageId, t.text),
    viaAdapter: (a, t) => a.editMessage?.(t.conversationId, t.messageId, { text: t.text }),
  },
  {
    name: 'deleteMessage',
    capability: 'deleteMessage',
    ids: CM,
    viaMessenger: (m, t) => m.deleteMessage(t.conversationId, t.messageId),
    viaAdapter: (a, t) => a.deleteMessage?.(t.conversationId, t.messageId),
  },
  {
    name: 'markRead',
    capability: 'markRead',
    ids: CM,
    viaMessenger: (m, t) => m.markRead(t.conversationId, t.messageId),
    viaAdapter: (a, t) => a.markRead?.(t.conversationId, t.messageId),
  },
  {
    name: 'addReaction',
    capability: 'reactions',
    ids: CM,
    viaMessenger: (m, t) => m.react(t.conversationId, t.messageId, '👍'),
    viaAdapter: (a, t) => a.addReaction?.(t.conversationId, t.messageId, '👍'),
  },
  {
    name: 'removeReaction',
    capability: 'reactions',
    ids: CM,
    viaMessenger: (m, t) => m.unreact(t.conversationId, t.messageId, '👍'),
    viaAdapter: (a, t) => a.removeReaction?.(t.conversationId, t.messageId, '👍'),
  },
];

/** The operations the manifest declares (plus `sendMessage`). */
export function declaredOperations(capabilities: Capabilities): ContractOperation[] {
  return contractOperations.filter(
    (operation) => operation.capability === undefined || hasCapability(capabilities, operation.capability),
  );
}
