import { InvalidRequestError } from '@switchboard/core';

/**
 * Addressing: how an inbox names one account's conversation or message.
 *
 * A provider id is only unique within its account, so every inbox reference carries the account
 * key. References exist in two equivalent forms:
 *
 * - typed objects: {@link ConversationRef} `{ account, conversationId }` and {@link MessageRef}
 *   `{ account, conversationId, messageId }`;
 * - qualified strings, for URLs, HTML attributes and storage: the parts joined by `:`, each part
 *   escaped so that `%` becomes `%25` and `:` becomes `%3A` (nothing else changes, so any
 *   character, lone surrogates included, round-trips):
 *
 * ```
 * { account: 'support', conversationId: 'a:b%c' }  ⇄  'support:a%3Ab%25c'
 * { account: 'bsky', conversationId: 'c1', messageId: 'm:1' }  ⇄  'bsky:c1:m%3A1'
 * ```
 *
 * Parsing is strict: the only escapes are `%25` and `%3A` (upper case), and every part must be
 * non-empty; anything else is an `InvalidRequestError`. So `format(parse(s)) === s` for every
 * string `parse` accepts, and `parse(format(ref))` equals `ref` for every ref with non-empty parts.
 * @module
 */

/** One conversation of one inbox account. */
export interface ConversationRef {
  /** The account key, as given to `createInbox({ accounts })`. */
  account: string;
  /** The provider's conversation id. */
  conversationId: string;
}

/** One message of one inbox account. */
export interface MessageRef extends ConversationRef {
  /** The provider's message id. */
  messageId: string;
}

function escapePart(part: string): string {
  return part.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3A'));
}

function invalid(value: string, why: string): InvalidRequestError {
  return new InvalidRequestError(`Invalid inbox reference '${value}': ${why}.`, {
    issues: [{ path: 'ref', message: why }],
  });
}

function unescapePart(part: string, whole: string): string {
  if (part === '') throw invalid(whole, 'every part must be non-empty');
  return part.replace(/%([\s\S]{2}|[\s\S]?$)/g, (sequence) => {
    if (sequence === '%25') return '%';
    if (sequence === '%3A') return ':';
    throw invalid(whole, `'${sequence}' is not an escape ('%25' for %, '%3A' for :)`);
  });
}

function checkPart(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidRequestError(`Invalid ${path}: expected a non-empty string.`, {
      issues: [{ path, message: 'expected a non-empty string' }],
    });
  }
  return value;
}

/**
 * Formats a conversation reference as a qualified string `account:conversationId` (each part
 * escaped: `%` → `%25`, `:` → `%3A`).
 * @throws {InvalidRequestError} when a part is not a non-empty string.
 */
export function formatConversationRef(ref: ConversationRef): string {
  return [checkPart(ref.account, 'account'), checkPart(ref.conversationId, 'conversationId')]
    .map(escapePart)
    .join(':');
}

/**
 * Formats a message reference as `account:conversationId:messageId` (each part escaped).
 * @throws {InvalidRequestError} when a part is not a non-empty string.
 */
export function formatMessageRef(ref: MessageRef): string {
  return [
    checkPart(ref.account, 'account'),
    checkPart(ref.conversationId, 'conversationId'),
    checkPart(ref.messageId, 'messageId'),
  ]
    .map(escapePart)
    .join(':');
}

/**
 * Parses a qualified conversation string made by {@link formatConversationRef}.
 * @throws {InvalidRequestError} when it does not have exactly two non-empty parts or holds a bad escape.
 */
export function parseConversationRef(value: string): ConversationRef {
  if (typeof value !== 'string') throw invalid(String(value), 'expected a string');
  const parts = value.split(':');
  if (parts.length !== 2) throw invalid(value, 'expected account:conversationId');
  return { account: unescapePart(parts[0]!, value), conversationId: unescapePart(parts[1]!, value) };
}

/**
 * Parses a qualified message string made by {@link formatMessageRef}.
 * @throws {InvalidRequestError} when it does not have exactly three non-empty parts or holds a bad escape.
 */
export function parseMessageRef(value: string): MessageRef {
  if (typeof value !== 'string') throw invalid(String(value), 'expected a string');
  const parts = value.split(':');
  if (parts.length !== 3) throw invalid(value, 'expected account:conversationId:messageId');
  return {
    account: unescapePart(parts[0]!, value),
    conversationId: unescapePart(parts[1]!, value),
    messageId: unescapePart(parts[2]!, value),
  };
}

/**
 * Accepts a typed {@link ConversationRef} or its qualified string and returns the typed form.
 * @throws {InvalidRequestError} for a malformed string or object.
 */
export function toConversationRef(ref: ConversationRef | string): ConversationRef {
  if (typeof ref === 'string') return parseConversationRef(ref);
  if (typeof ref !== 'object' || ref === null) throw invalid(String(ref), 'expected a ref or a string');
  return {
    account: checkPart(ref.account, 'account'),
    conversationId: checkPart(ref.conversationId, 'conversationId'),
  };
}
