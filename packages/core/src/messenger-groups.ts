import type { Capabilities, GroupCapabilityName } from './capabilities.js';
import type { CallOptions, ChatAdapter, SendOptions } from './chat-adapter.js';
import { InvalidRequestError, InvalidResponseError } from './errors.js';
import type {
  BatchItem,
  Conversation,
  ConversationUpdate,
  OutgoingMessage,
  Page,
  PageParams,
  Participant,
  SendBatchResult,
} from './model.js';
import { requireAdapterMethod } from './require-adapter-method.js';
import { assertId, assertPageParams, normalizeOutgoing } from './validation.js';

/**
 * The group-conversation and batch part of the Messenger: participants, rename, requests, batch
 * sends. Every method validates its input before any request and throws `UnsupportedOperationError`
 * (no request) when the adapter's manifest leaves its capability out.
 * @module
 */

/** One item of {@link MessengerGroupMethods.sendBatch}: a conversation and a text or message. */
export interface SendBatchItem {
  conversationId: string;
  message: string | OutgoingMessage;
}

/** Paging options of {@link MessengerGroupMethods.participants}. */
export interface ParticipantsIterateOptions extends CallOptions {
  /** Page size requested from the provider (default: the provider's own). */
  limit?: number;
}

/** The Messenger's group and batch methods (part of `Messenger`). */
export interface MessengerGroupMethods {
  /**
   * Adds participants (ids or handles) to a group conversation; returns it updated.
   * Capability `addParticipants`. @throws {InvalidRequestError} for an empty list or a malformed id.
   */
  addParticipants(
    conversationId: string,
    participants: string[],
    options?: CallOptions,
  ): Promise<Conversation>;
  /** Removes participants (ids or handles) from a group conversation. Capability `removeParticipants`. */
  removeParticipants(
    conversationId: string,
    participants: string[],
    options?: CallOptions,
  ): Promise<Conversation>;
  /**
   * Changes a conversation: `{ title }` renames a group. Capability `updateConversation`.
   * @throws {InvalidRequestError} when nothing is given to change or the title is blank.
   */
  updateConversation(
    conversationId: string,
    update: ConversationUpdate,
    options?: CallOptions,
  ): Promise<Conversation>;
  /**
   * Accepts a conversation request (status `'request'` → `'accepted'`). Resolves `true` when it
   * changed, `false` when it was already accepted. Capability `conversationRequests`.
   */
  acceptConversation(conversationId: string, options?: CallOptions): Promise<boolean>;
  /** One page of a conversation's participants. Capability `listParticipants`. */
  listParticipants(
    conversationId: string,
    params?: PageParams,
    options?: CallOptions,
  ): Promise<Page<Participant>>;
  /**
   * Every participant of a conversation, page by page (groups can have hundreds; memory
   * O(page size)). Capability `listParticipants`. Errors surface while iterating.
   */
  participants(conversationId: string, options?: ParticipantsIterateOptions): AsyncIterable<Participant>;
  /**
   * Sends many messages, to one or several conversations, in as few provider calls as the
   * provider allows (`capabilities.maxBatchSize` items per call, calls one after the other).
   * Capability `sendBatch`.
   *
   * Every item is validated like `send` before any request (`InvalidRequestError`, issue paths
   * `items.<i>.…`). Resolves with one {@link SendBatchResult} per item, in order; it does not reject
   * for a provider failure. With `capabilities.sendBatch === 'all-or-nothing'` (Bluesky's
   * `sendMessageBatch`), a failed provider call fails every item it carried, with the same error:
   * none of them was stored, or, when `error.retryable` is false after a timeout or reset, maybe all
   * of them (check the history before sending them again).
   */
  sendBatch(items: SendBatchItem[], options?: SendOptions): Promise<SendBatchResult[]>;
}

function invalid(path: string, message: string): InvalidRequestError {
  return new InvalidRequestError(`Invalid ${path}: ${message}`, { issues: [{ path, message }] });
}

/** Checks a non-empty list of participant ids or handles. */
export function assertParticipantList(value: unknown, path = 'participants'): asserts value is string[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(path, 'give at least one id or handle');
  for (const [i, participant] of value.entries()) assertId(participant, `${path}.${i}`);
  if (new Set(value).size !== value.length) throw invalid(path, 'must not repeat a participant');
}

/** Checks a conversation title: a string that is not blank and has no surrounding whitespace. */
export function assertTitle(value: unknown, path = 'title'): asserts value is string {
  if (typeof value !== 'string') throw invalid(path, 'expected a string');
  if (value.trim() === '') throw invalid(path, 'must not be empty or only whitespace');
  if (value.trim() !== value) throw invalid(path, 'must not start or end with whitespace');
}

/**
 * Checks `openConversation` parameters against what the adapter can open: a title only where
 * groups can be opened (a title asks for a group), and a valid title.
 */
export function assertOpenConversationTitle(
  title: unknown,
  capabilities: Capabilities,
  provider: string,
): void {
  if (title === undefined) return;
  assertTitle(title);
  if (capabilities.openConversation === 'direct') {
    throw new InvalidRequestError(
      `The ${provider} adapter opens direct conversations only, which have no title: leave 'title' out.`,
      { issues: [{ path: 'title', message: 'direct conversations have no title' }] },
    );
  }
}

/** Builds the group and batch methods over an adapter (used by `createMessenger`). */
export function createGroupMethods(adapter: ChatAdapter, capabilities: Capabilities): MessengerGroupMethods {
  const require = <M extends keyof ChatAdapter>(capability: GroupCapabilityName, method: M) =>
    requireAdapterMethod(adapter, capabilities, capability, method);

  const methods: MessengerGroupMethods = {
    async addParticipants(conversationId, participants, options) {
      const add = require('addParticipants', 'addParticipants');
      assertId(conversationId, 'conversationId');
      assertParticipantList(participants);
      return add(conversationId, [...participants], options);
    },

    async removeParticipants(conversationId, participants, options) {
      const remove = require('removeParticipants', 'removeParticipants');
      assertId(conversationId, 'conversationId');
      assertParticipantList(participants);
      return remove(conversationId, [...participants], options);
    },

    async updateConversation(conversationId, update, options) {
      const change = require('updateConversation', 'updateConversation');
      assertId(conversationId, 'conversationId');
      if (typeof update !== 'object' || update === null || update.title === undefined)
        throw invalid('update', 'give what to change: { title }');
      assertTitle(update.title);
      return change(conversationId, { title: update.title }, options);
    },

    async acceptConversation(conversationId, options) {
      const accept = require('conversationRequests', 'acceptConversation');
      assertId(conversationId, 'conversationId');
      return accept(conversationId, options);
    },

    async listParticipants(conversationId, params = {}, options) {
      const list = require('listParticipants', 'listParticipants');
      assertId(conversationId, 'conversationId');
      assertPageParams(params, capabilities);
      return list(conversationId, params, options);
    },

    participants(conversationId, options = {}) {
      const { limit, ...call } = options;
      return {
        async *[Symbol.asyncIterator]() {
          const seen = new Set<string>();
          let cursor: string | undefined;
          do {
            const page = await methods.listParticipants(
              conversationId,
              limit === undefined ? { cursor } : { cursor, limit },
              call,
            );
            yield* page.items;
            if (page.nextCursor !== undefined && seen.has(page.nextCursor))
              throw new InvalidResponseError(
                `The ${adapter.provider} adapter returned the same cursor twice; stopping to avoid a loop.`,
                { provider: adapter.provider },
              );
            cursor = page.nextCursor;
            if (cursor !== undefined) seen.add(cursor);
          } while (cursor !== undefined);
        },
      };
    },

    async sendBatch(items, options) {
      const send = require('sendBatch', 'sendMessageBatch');
      if (!Array.isArray(items) || items.length === 0) throw invalid('items', 'give at least one item');
      const batch: BatchItem[] = items.map((item, i) => {
        if (typeof item !== 'object' || item === null) throw invalid(`items.${i}`, 'expected an object');
        assertId(item.conversationId, `items.${i}.conversationId`);
        try {
          return {
            conversationId: item.conversationId,
            message: normalizeOutgoing(item.message, capabilities, adapter.provider),
          };
        } catch (error) {
          if (!InvalidRequestError.isInstance(error)) throw error;
          const issues = (error.issues ?? []).map((issue) => ({
            ...issue,
            path: `items.${i}.${issue.path}`,
          }));
          throw new InvalidRequestError(`Invalid items.${i}: ${error.message}`, { issues });
        }
      });
      const results: SendBatchResult[] = [];
      const size = capabilities.maxBatchSize;
      for (let start = 0; start < batch.length; start += size) {
        const chunk = batch.slice(start, start + size);
        try {
          const messages = await send(chunk, options);
          if (messages.length !== chunk.length)
            throw new InvalidResponseError(
              `The ${adapter.provider} adapter answered a batch of ${chunk.length} with ${messages.length} messages.`,
              { provider: adapter.provider },
            );
          for (const [i, item] of chunk.entries())
            results.push({ status: 'sent', conversationId: item.conversationId, message: messages[i]! });
        } catch (error) {
          for (const item of chunk)
            results.push({ status: 'failed', conversationId: item.conversationId, error });
        }
      }
      return results;
    },
  };
  return methods;
}
