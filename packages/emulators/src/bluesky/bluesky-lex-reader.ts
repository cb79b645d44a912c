/*
 * Readers for XRPC params (query string) and JSON input that reject bad values with 400
 * `InvalidRequest` and the messages of `@atproto/lexicon`'s validators (`Params must have the
 * property "convoId"`, `limit can not be greater than 100`, `Input/message/text must not be longer
 * than 1000 graphemes`, …).
 */

import { isValidDid, isValidHandle } from './bluesky-identity.js';
import { countGraphemes, LEXICON_LIMITS, utf8Length } from './bluesky-lexicon-limits.js';
import { invalidRequest } from './bluesky-xrpc-error.js';

type JsonObject = Record<string, unknown>;

/** String limits: bytes (the lexicon's `maxLength`, reported as "characters") and graphemes. */
export interface StringLimits {
  minBytes?: number;
  maxBytes?: number;
  minGraphemes?: number;
  maxGraphemes?: number;
}

function checkString(value: string, path: string, limits: StringLimits): string {
  const bytes = utf8Length(value);
  if (limits.maxBytes !== undefined && bytes > limits.maxBytes)
    throw invalidRequest(`${path} must not be longer than ${limits.maxBytes} characters`);
  if (limits.minBytes !== undefined && bytes < limits.minBytes)
    throw invalidRequest(`${path} must not be shorter than ${limits.minBytes} characters`);
  if (limits.maxGraphemes !== undefined || limits.minGraphemes !== undefined) {
    const graphemes = countGraphemes(value);
    if (limits.maxGraphemes !== undefined && graphemes > limits.maxGraphemes)
      throw invalidRequest(`${path} must not be longer than ${limits.maxGraphemes} graphemes`);
    if (limits.minGraphemes !== undefined && graphemes < limits.minGraphemes)
      throw invalidRequest(`${path} must not be shorter than ${limits.minGraphemes} graphemes`);
  }
  return value;
}

/** A required string param. */
export function requireParam(query: URLSearchParams, key: string): string {
  const value = query.get(key);
  if (value === null) throw invalidRequest(`Params must have the property "${key}"`);
  return value;
}

/** A required `format: handle` param. */
export function requireHandleParam(query: URLSearchParams, key: string): string {
  const value = requireParam(query, key);
  if (!isValidHandle(value)) throw invalidRequest(`${key} must be a valid handle`);
  return value;
}

/** The `limit` param: an integer in 1..100, 50 when absent. */
export function limitParam(query: URLSearchParams): number {
  const raw = query.get('limit');
  const { min, max, default: fallback } = LEXICON_LIMITS.page;
  if (raw === null) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value)) throw invalidRequest('limit must be an integer');
  if (value > max) throw invalidRequest(`limit can not be greater than ${max}`);
  if (value < min) throw invalidRequest(`limit can not be less than ${min}`);
  return value;
}

/** The required `members` param: 1..10 DIDs, the key repeated (`?members=a&members=b`). */
export function membersParam(query: URLSearchParams): string[] {
  const members = query.getAll('members');
  const { min, max } = LEXICON_LIMITS.members;
  if (members.length === 0) throw invalidRequest('Params must have the property "members"');
  if (members.length > max) throw invalidRequest(`members must not have more than ${max} elements`);
  if (members.length < min) throw invalidRequest(`members must not have fewer than ${min} elements`);
  members.forEach((did, i) => {
    if (!isValidDid(did)) throw invalidRequest(`members/${i} must be a valid did`);
  });
  return members;
}

/** The JSON input as an object (`Input must be an object` otherwise). */
export function inputObject(value: unknown, path = 'Input'): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidRequest(`${path} must be an object`);
  return value as JsonObject;
}

/** A required object property of an input object. */
export function requireObject(obj: JsonObject, key: string, path = 'Input'): JsonObject {
  if (obj[key] === undefined) throw invalidRequest(`${path} must have the property "${key}"`);
  return inputObject(obj[key], `${path}/${key}`);
}

/** A required string property of an input object. */
export function requireString(
  obj: JsonObject,
  key: string,
  path = 'Input',
  limits: StringLimits = {},
): string {
  const value = obj[key];
  if (value === undefined) throw invalidRequest(`${path} must have the property "${key}"`);
  if (typeof value !== 'string') throw invalidRequest(`${path}/${key} must be a string`);
  return checkString(value, `${path}/${key}`, limits);
}

/** An optional string property of an input object. */
export function optionalString(obj: JsonObject, key: string, path = 'Input'): string | undefined {
  return obj[key] === undefined ? undefined : requireString(obj, key, path);
}

/** A required array property of an input object, at most `maxItems` long. */
export function requireArray(obj: JsonObject, key: string, path: string, maxItems: number): unknown[] {
  const value = obj[key];
  if (value === undefined) throw invalidRequest(`${path} must have the property "${key}"`);
  if (!Array.isArray(value)) throw invalidRequest(`${path}/${key} must be an array`);
  if (value.length > maxItems)
    throw invalidRequest(`${path}/${key} must not have more than ${maxItems} elements`);
  return value;
}

/** The required reaction `value` of `obj`: exactly one grapheme, 1..64 UTF-8 bytes. */
export function requireReactionValue(obj: JsonObject, path = 'Input'): string {
  const { minBytes, maxBytes, graphemes } = LEXICON_LIMITS.reaction;
  return requireString(obj, 'value', path, {
    minBytes,
    maxBytes,
    minGraphemes: graphemes,
    maxGraphemes: graphemes,
  });
}

/** A `chat.bsky.convo.defs#messageInput` as the emulator keeps it. */
export interface MessageInput {
  text: string;
  /** `app.bsky.richtext.facet[]`, echoed back unchanged. */
  facets?: unknown[];
  /** The `at://` URI of an `app.bsky.embed.record` embed. */
  embedUri?: string;
}

const RECORD_EMBED = 'app.bsky.embed.record';

/** Reads the required `messageInput` property `message` of `obj` (at `path`, e.g. `Input`). */
export function readMessageInput(obj: JsonObject, parentPath: string): MessageInput {
  const message = requireObject(obj, 'message', parentPath);
  const path = `${parentPath}/message`;
  const text = requireString(message, 'text', path, {
    maxBytes: LEXICON_LIMITS.text.maxBytes,
    maxGraphemes: LEXICON_LIMITS.text.maxGraphemes,
  });
  const input: MessageInput = { text };
  if (message.facets !== undefined) {
    if (!Array.isArray(message.facets)) throw invalidRequest(`${path}/facets must be an array`);
    message.facets.forEach((facet, i) => {
      inputObject(facet, `${path}/facets/${i}`);
    });
    input.facets = message.facets;
  }
  if (message.embed !== undefined) {
    const embedPath = `${path}/embed`;
    const embed = inputObject(message.embed, embedPath);
    if (embed.$type === undefined)
      throw invalidRequest(`${embedPath} must be an object which includes the "$type" property`);
    // DEFINE: only record embeds are modelled; the real union also has `chat.bsky.embed.joinLink`.
    if (embed.$type !== RECORD_EMBED) throw invalidRequest(`Unsupported embed type: ${String(embed.$type)}`);
    const recordPath = `${embedPath}/record`;
    const record = inputObject(embed.record, recordPath);
    const uri = requireString(record, 'uri', recordPath);
    if (!uri.startsWith('at://')) throw invalidRequest(`${recordPath}/uri must be a valid at-uri`);
    requireString(record, 'cid', recordPath);
    input.embedUri = uri;
  }
  return input;
}
