import type { Capabilities } from './capabilities.js';
import { UnsupportedOperationError } from './errors.js';
import { invalidRequest as invalid } from './invalid-request.js';
import type { OutgoingMessage, PageParams } from './model.js';

/**
 * Input checks the Messenger runs before any request. Each throws `InvalidRequestError`
 * (provider `'switchboard'`, with `issues`) and sends nothing.
 * @module
 */

/** Longest id accepted, in UTF-16 code units. */
export const MAX_ID_LENGTH = 1024;

let segmenter: Intl.Segmenter | undefined;

/** Counts grapheme clusters (what a reader sees as one character), stopping early past `stopAfter`. */
export function countGraphemes(text: string, stopAfter = Number.POSITIVE_INFINITY): number {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let count = 0;
  for (const _ of segmenter.segment(text)) {
    count += 1;
    if (count > stopAfter) break;
  }
  return count;
}

/** Counts Unicode code points. */
export function countCodePoints(text: string, stopAfter = Number.POSITIVE_INFINITY): number {
  let count = 0;
  for (const _ of text) {
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

/** Checks an id (conversation, message, participant): a non-empty string, no surrounding spaces, no control characters. */
export function assertId(value: unknown, path: string): asserts value is string {
  if (typeof value !== 'string')
    throw invalid(path, `expected a string id, got ${value === null ? 'null' : typeof value}`);
  if (value.trim() === '') throw invalid(path, 'must not be empty');
  if (value.trim() !== value) throw invalid(path, 'must not start or end with whitespace');
  if (value.length > MAX_ID_LENGTH) throw invalid(path, `must be at most ${MAX_ID_LENGTH} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) throw invalid(path, 'must not contain control characters');
}

/** Checks paging parameters against `capabilities.pageSize`. */
export function assertPageParams(params: PageParams | undefined, capabilities: Capabilities): void {
  if (params === undefined) return;
  const { limit, cursor } = params;
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor === '')) {
    throw invalid('cursor', 'must be a non-empty string from a previous page');
  }
  if (limit === undefined) return;
  const { min, max } = capabilities.pageSize;
  if (!Number.isInteger(limit) || limit < min || limit > max) {
    throw invalid('limit', `must be an integer from ${min} to ${max}, got ${String(limit)}`);
  }
}

/**
 * Turns `send(id, 'text')` into an `OutgoingMessage` and checks it against the capabilities.
 * @throws {InvalidRequestError} for empty or over-long text, or a malformed attachment URL.
 * @throws {UnsupportedOperationError} for an attachment kind the manifest does not declare.
 */
export function normalizeOutgoing(
  input: string | OutgoingMessage,
  capabilities: Capabilities,
  provider?: string,
): OutgoingMessage {
  const message: OutgoingMessage = typeof input === 'string' ? { text: input } : input;
  if (typeof message !== 'object' || message === null || typeof message.text !== 'string') {
    throw invalid('text', 'expected a string');
  }
  const attachments = message.attachments ?? [];
  if (message.text.trim() === '' && attachments.length === 0)
    throw invalid('text', 'must not be empty or only whitespace');
  const max = capabilities.maxTextLength;
  // Fast path: no unit counts more than UTF-16 code units.
  if (message.text.length > max) {
    const length = textLength(message.text, capabilities.textLengthUnit, max);
    if (length > max) {
      throw invalid('text', `must be at most ${max} ${unitName(capabilities.textLengthUnit)}, got more`);
    }
  }
  attachments.forEach((attachment, i) => {
    if (!capabilities.attachments.includes(attachment.kind)) {
      // Like any capability the manifest leaves out: unsupported, not malformed.
      throw new UnsupportedOperationError(
        `This provider does not accept '${String(attachment.kind)}' attachments.`,
        {
          provider: provider ?? 'switchboard',
        },
      );
    }
    let url: URL | undefined;
    try {
      url = new URL(attachment.url);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:', 'data:'].includes(url.protocol)) {
      throw invalid(`attachments.${i}.url`, 'must be an http(s) or data: URL');
    }
  });
  if (message.replyToId !== undefined) assertId(message.replyToId, 'replyToId');
  return message;
}

/** Checks a reaction value: a non-empty string without surrounding whitespace. */
export function assertReaction(value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '' || value.trim() !== value) {
    throw invalid('reaction', 'must be a non-empty string such as an emoji');
  }
}
