import { graphemeSegments } from 'unicode-segmenter/grapheme';
import type { Capabilities } from './capabilities.js';
import { InvalidRequestError, UnsupportedOperationError } from './errors.js';
import { hasFieldTypes } from './has-field-types.js';
import { invalidRequest as invalid } from './invalid-request.js';
import type { OutgoingAttachment, OutgoingMessage, PageParams } from './model.js';

/**
 * Input checks the Messenger runs before any request. Each throws `InvalidRequestError`
 * (provider `'switchboard'`, with `issues`) and sends nothing.
 * @module
 */

/** Longest id accepted, in UTF-16 code units. */
export const MAX_ID_LENGTH = 1024;

/**
 * Longest grapheme cluster a text may average, in UTF-16 code units: a text longer than
 * `maxTextLength × 32` code units is rejected without counting. The longest emoji sequences (a
 * kiss with two skin tones, a subdivision flag) take 15 code units, so no real text is refused;
 * the bound keeps the check linear and short for any input (a 1,000,000-character text is refused
 * in well under 10 ms).
 */
export const MAX_CODE_UNITS_PER_GRAPHEME = 32;

/**
 * Counts grapheme clusters (what a reader sees as one character, Unicode UAX #29), stopping early
 * past `stopAfter`. Linear in the text's length (the `unicode-segmenter` package, the fallback the
 * AT Protocol's own `graphemeLen` uses); `Intl.Segmenter` is not used because in Node 20 it is
 * quadratic in the string's length.
 */
export function countGraphemes(text: string, stopAfter = Number.POSITIVE_INFINITY): number {
  let count = 0;
  for (const _ of graphemeSegments(text)) {
    count += 1;
    if (count > stopAfter) break;
  }
  return count;
}

/** Counts Unicode code points, stopping early past `stopAfter`. */
export function countCodePoints(text: string, stopAfter = Number.POSITIVE_INFINITY): number {
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    count += 1;
    if (count > stopAfter) break;
  }
  return count;
}

/**
 * Length of `text` in the unit the provider counts (`capabilities.textLengthUnit`): grapheme
 * clusters, Unicode code points, or UTF-16 code units (`text.length`, what Telegram and LINE count).
 * Counting may stop early once past `stopAfter`.
 */
export function textLength(text: string, unit: Capabilities['textLengthUnit'], stopAfter?: number): number {
  if (unit === 'utf-16') return text.length;
  return unit === 'code-points' ? countCodePoints(text, stopAfter) : countGraphemes(text, stopAfter);
}

/** The word for `unit` in error messages (`'characters'`, `'graphemes'`, `'UTF-16 code units'`). */
function unitName(unit: Capabilities['textLengthUnit']): string {
  if (unit === 'utf-16') return 'UTF-16 code units';
  return unit === 'code-points' ? 'characters' : 'graphemes';
}

/**
 * `true` when `text` is longer than `max` in `unit`, cheapest bounds first: UTF-16 length ≥ code
 * points ≥ graphemes, and a code point takes at most 2 code units. Only texts between those bounds
 * are counted, and counting stops after `max + 1`.
 */
export function exceedsTextLength(text: string, unit: Capabilities['textLengthUnit'], max: number): boolean {
  if (text.length <= max) return false;
  if (unit === 'utf-16') return true;
  if (text.length > 2 * max && unit === 'code-points') return true;
  if (unit === 'code-points') return countCodePoints(text, max) > max;
  if (text.length > max * MAX_CODE_UNITS_PER_GRAPHEME) return true;
  if (countCodePoints(text, max) <= max) return false;
  return countGraphemes(text, max) > max;
}

const describe = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

/** Checks an id (conversation, message, participant): a non-empty string, no surrounding spaces, no control characters. */
export function assertId(value: unknown, path: string): asserts value is string {
  if (typeof value !== 'string') throw invalid(path, `expected a string id, got ${describe(value)}`);
  // Cheap bound first, so an enormous id costs nothing to refuse.
  if (value.length > MAX_ID_LENGTH) throw invalid(path, `must be at most ${MAX_ID_LENGTH} characters`);
  if (value.trim() === '') throw invalid(path, 'must not be empty');
  if (value.trim() !== value) throw invalid(path, 'must not start or end with whitespace');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) throw invalid(path, 'must not contain control characters');
}

/** `true` for a non-null, non-array object. */
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the options of a call (`CallOptions`, `SendOptions`, the iterators' options): `undefined`
 * or an object whose `signal`, when given, is an `AbortSignal`, and whose `providerOptions`, when
 * given, is an object of objects.
 * @throws {InvalidRequestError} for anything else.
 * @throws the signal's own `reason` when the signal is already aborted (as an aborted call would).
 */
export function assertCallOptions(options: unknown, path = 'options'): void {
  if (options === undefined) return;
  if (!isRecord(options)) throw invalid(path, `expected an object or undefined, got ${describe(options)}`);
  const { signal, providerOptions } = options;
  if (signal !== undefined) {
    if (
      !hasFieldTypes(signal, {
        aborted: 'boolean',
        addEventListener: 'function',
        removeEventListener: 'function',
      })
    )
      throw invalid(`${path}.signal`, `expected an AbortSignal, got ${describe(signal)}`);
    if ((signal as AbortSignal).aborted) throw (signal as AbortSignal).reason;
  }
  if (providerOptions !== undefined) {
    if (!isRecord(providerOptions)) {
      throw invalid(
        `${path}.providerOptions`,
        `expected an object keyed by provider, got ${describe(providerOptions)}`,
      );
    }
    for (const [provider, value] of Object.entries(providerOptions)) {
      if (!isRecord(value)) {
        throw invalid(`${path}.providerOptions.${provider}`, `expected an object, got ${describe(value)}`);
      }
    }
  }
}

/** Checks paging parameters against `capabilities.pageSize`: `undefined`, or `{ cursor?, limit? }`. */
export function assertPageParams(params: PageParams | undefined, capabilities: Capabilities): void {
  if (params === undefined) return;
  if (!isRecord(params))
    throw invalid('params', `expected { cursor?, limit? } or undefined, got ${describe(params)}`);
  const { limit, cursor } = params;
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor === '')) {
    throw invalid('cursor', 'must be a non-empty string from a previous page');
  }
  if (limit === undefined) return;
  const { min, max } = capabilities.pageSize;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < min || limit > max) {
    throw invalid(
      'limit',
      `must be an integer from ${min} to ${max}, got ${typeof limit === 'number' ? limit : describe(limit)}`,
    );
  }
}

/**
 * Turns `send(id, 'text')` into an `OutgoingMessage` and checks it against the capabilities,
 * cheapest checks first (any input is judged in well under 10 ms).
 * @throws {InvalidRequestError} for a message that is not a string or `{ text, attachments?, replyToId? }`,
 * empty or over-long text, attachments that are not an array of `{ kind, url }`, or a malformed attachment URL.
 * @throws {UnsupportedOperationError} for an attachment kind the manifest does not declare.
 */
export function normalizeOutgoing(
  input: string | OutgoingMessage,
  capabilities: Capabilities,
  provider?: string,
): OutgoingMessage {
  const message: unknown = typeof input === 'string' ? { text: input } : input;
  if (!isRecord(message)) throw invalid('message', `expected a string or { text }, got ${describe(message)}`);
  const { text, attachments = [], replyToId } = message;
  if (typeof text !== 'string') throw invalid('text', `expected a string, got ${describe(text)}`);
  if (!Array.isArray(attachments))
    throw invalid('attachments', `expected an array, got ${describe(attachments)}`);
  const max = capabilities.maxTextLength;
  if (exceedsTextLength(text, capabilities.textLengthUnit, max)) {
    throw invalid('text', `must be at most ${max} ${unitName(capabilities.textLengthUnit)}, got more`);
  }
  if (text.trim() === '' && attachments.length === 0)
    throw invalid('text', 'must not be empty or only whitespace');
  attachments.forEach((attachment: unknown, i) => {
    if (!isRecord(attachment))
      throw invalid(`attachments.${i}`, `expected { kind, url }, got ${describe(attachment)}`);
    if (!capabilities.attachments.includes(attachment.kind as OutgoingAttachment['kind'])) {
      // Like any capability the manifest leaves out: unsupported, not malformed.
      throw new UnsupportedOperationError(
        `This provider does not accept '${typeof attachment.kind === 'string' ? attachment.kind : describe(attachment.kind)}' attachments.`,
        {
          provider: provider ?? 'switchboard',
        },
      );
    }
    let url: URL | undefined;
    try {
      url = typeof attachment.url === 'string' ? new URL(attachment.url) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:', 'data:'].includes(url.protocol)) {
      throw invalid(`attachments.${i}.url`, 'must be an http(s) or data: URL');
    }
    if (attachment.name !== undefined && typeof attachment.name !== 'string') {
      throw invalid(`attachments.${i}.name`, `expected a string, got ${describe(attachment.name)}`);
    }
  });
  if (replyToId !== undefined) assertId(replyToId, 'replyToId');
  return message as unknown as OutgoingMessage;
}

/** `\s` is exactly the set `String.prototype.trim` removes. */
const WHITESPACE = /\s/;

/**
 * Checks a reaction value: a non-empty string without surrounding whitespace. Looks at its ends
 * only (constant time whatever its length; each adapter checks its own length limit).
 */
export function assertReaction(value: unknown): asserts value is string {
  if (
    typeof value !== 'string' ||
    value === '' ||
    WHITESPACE.test(value.charAt(0)) ||
    WHITESPACE.test(value.charAt(value.length - 1))
  ) {
    throw invalid('reaction', 'must be a non-empty string such as an emoji');
  }
}

/**
 * Encodes one URL path segment (an id in `/messages/{id}`) so that no value can change the path:
 * `encodeURIComponent` (which escapes `/`, `?`, `#`, `%`), and `.` / `..` refused, because URL
 * parsers resolve those segments (`%2E` included) whatever the encoding.
 * @throws {InvalidRequestError} for an empty string, `.` or `..`.
 */
export function encodePathSegment(value: string, path = 'id', provider?: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new InvalidRequestError(`Invalid ${path}: '${value}' cannot be a URL path segment`, {
      ...(provider !== undefined && { provider }),
      issues: [{ path, message: "must not be empty, '.' or '..'" }],
    });
  }
  return encodeURIComponent(value);
}
