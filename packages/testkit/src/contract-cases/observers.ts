import { type ChatAdapter, hasCapability, type Message, NotFoundError } from '@switchboard/core';
import type { ContractCaseContext } from '../contract-case.js';
import type { BackendMessage } from '../contract-types.js';

/** A message as an observer sees it, whichever way it was read. */
export interface ObservedMessage {
  text: string;
  deleted: boolean;
  /** `true` when the adapter's account sent it (`undefined`: the source does not say). */
  fromSelf: boolean | undefined;
  reactions: Array<{ value: string; fromSelf: boolean | undefined }>;
  attachments: Array<{ kind: string }>;
}

/** How a case reads a message back: one way to look, named for failure messages. */
export interface MessageObserver {
  /** e.g. `getMessage`, `listMessages (newest page)`, `peer.readMessages`. */
  name: string;
  /** The message, `'gone'` when the source says it does not exist (deleted), `undefined` when not found. */
  read(conversationId: string, messageId: string): Promise<ObservedMessage | 'gone' | undefined>;
}

/** Maps a `Message` as an adapter returned it; `selfId` (from `connect()` or a sent message) decides `fromSelf` of reactions. */
export function observed(message: Message, selfId: string | undefined): ObservedMessage {
  return {
    text: message.text,
    deleted: message.deleted === true,
    fromSelf: message.sender?.isSelf,
    reactions: message.reactions.map((reaction) => ({
      value: reaction.value,
      fromSelf: selfId === undefined ? undefined : reaction.senderId === selfId,
    })),
    attachments: message.attachments.map((attachment) => ({ kind: attachment.kind })),
  };
}

const fromBackend = (message: BackendMessage): ObservedMessage => ({
  text: message.text,
  deleted: message.deleted === true,
  fromSelf: message.fromSelf,
  reactions: (message.reactions ?? []).map((reaction) => ({ ...reaction })),
  attachments: (message.attachments ?? []).map((attachment) => ({ ...attachment })),
});

/** Reads through an adapter's own `getMessage`, else its newest page of history. */
export function adapterObserver(
  name: string,
  adapter: ChatAdapter,
  capabilities: ContractCaseContext['capabilities'],
  selfId: () => string | undefined,
): MessageObserver | undefined {
  const getMessage = adapter.getMessage?.bind(adapter);
  if (hasCapability(capabilities, 'getMessage') && getMessage) {
    return {
      name: `${name}.getMessage`,
      async read(conversationId, messageId) {
        try {
          return observed(await getMessage(conversationId, messageId), selfId());
        } catch (error) {
          if (NotFoundError.isInstance(error)) return 'gone';
          throw error;
        }
      },
    };
  }
  const listMessages = adapter.listMessages?.bind(adapter);
  if (hasCapability(capabilities, 'listMessages') && listMessages) {
    return {
      name: `${name}.listMessages (newest page)`,
      async read(conversationId, messageId) {
        const page = await listMessages(conversationId, {});
        const found = page.items.find((message) => message.id === messageId);
        return found && observed(found, selfId());
      },
    };
  }
  return undefined;
}

/** Reads the backend through `peer.readMessages`, without any adapter. */
export function backendObserver(context: ContractCaseContext): MessageObserver | undefined {
  const { readMessages } = context.peer;
  if (!readMessages) return undefined;
  return {
    name: 'peer.readMessages (backend)',
    async read(conversationId, messageId) {
      const found = (await readMessages.call(context.peer, conversationId)).find((m) => m.id === messageId);
      return found ? fromBackend(found) : 'gone';
    },
  };
}

/**
 * Every way this run can read a message back: the adapter under test (getMessage, else history), the
 * backend (`peer.readMessages`). Ends the case as not checked when there is none.
 */
export function readBackObservers(context: ContractCaseContext, selfId: () => string | undefined) {
  const observers = [
    adapterObserver('adapter', context.adapter, context.capabilities, selfId),
    backendObserver(context),
  ].filter((observer): observer is MessageObserver => observer !== undefined);
  if (observers.length === 0) {
    context.notChecked(
      'no way to read a message back: neither getMessage nor listMessages is declared and setup() gives no `peer.readMessages`',
    );
  }
  return observers;
}

/**
 * Observers other than the adapter under test (which could fake what it did): the backend
 * (`peer.readMessages`) and a second adapter instance. Ends the case as not checked when there is none.
 */
export async function independentObservers(
  context: ContractCaseContext,
  selfId: () => string | undefined,
  what: string,
): Promise<MessageObserver[]> {
  const observers: MessageObserver[] = [];
  const backend = backendObserver(context);
  if (backend) observers.push(backend);
  const second = await context.openSecondAdapter();
  const viaSecond = second && adapterObserver('secondAdapter', second, context.capabilities, selfId);
  if (viaSecond) observers.push(viaSecond);
  if (observers.length === 0) {
    context.notChecked(
      `nobody but the adapter under test can see ${what}: setup() gives no \`peer.readMessages\` and no \`secondAdapter\` that can read messages`,
    );
  }
  return observers;
}

/** The conversations this run can build: the peer's, each extra peer's, and (groups) new titled ones. */
export async function startConversations(context: ContractCaseContext): Promise<string[]> {
  const ids = new Set<string>([await context.peer.startConversation()]);
  for (const peer of context.peers) ids.add(await peer.startConversation());
  return [...ids];
}
