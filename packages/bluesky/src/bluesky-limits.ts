/**
 * Lexicon limits, checked before any request so bad input never reaches the network.
 * Graphemes are counted as the lexicons count them (Unicode UAX #29, with core's linear
 * `countGraphemes`, the `unicode-segmenter` package the AT Protocol falls back to), bytes as UTF-8.
 * The cheap byte bound is checked first, so any input is judged in well under 10 ms
 * (`Intl.Segmenter` is quadratic in Node 20: a 1,000,000-character reaction took minutes).
 * @module
 */
import { countGraphemes, invalidRequest } from '@switchboard/core';

export { assertId, countGraphemes } from '@switchboard/core';

/** `messageInput.text`: at most 1000 grapheme clusters… */
export const MAX_TEXT_GRAPHEMES = 1000;
/** …and at most 10 000 UTF-8 bytes. */
export const MAX_TEXT_BYTES = 10_000;
/** `addReaction.value`: exactly one grapheme, at most 64 UTF-8 bytes. */
export const MAX_REACTION_BYTES = 64;
/** `limit` of `listConvos` and `getMessages`: 1..100, 50 when absent. */
export const PAGE_SIZE = { min: 1, max: 100, default: 50 } as const;

/** Number of bytes `text` takes in UTF-8. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

const invalid = (path: string, message: string) => invalidRequest(path, message, { provider: 'bluesky' });

/**
 * Checks message text: not blank, ≤ 1000 graphemes, ≤ 10 000 UTF-8 bytes.
 * @throws {InvalidRequestError} naming the limit that was broken.
 */
export function assertSendableText(text: string): void {
  if (typeof text !== 'string') throw invalid('text', 'message text must be a string.');
  // Cheapest bound first: a UTF-16 code unit is at most 3 UTF-8 bytes and at least 1.
  const bytes = text.length > MAX_TEXT_BYTES ? MAX_TEXT_BYTES + 1 : utf8Length(text);
  if (bytes > MAX_TEXT_BYTES)
    throw invalid('text', `message text is over the limit of ${MAX_TEXT_BYTES} UTF-8 bytes.`);
  if (text.trim() === '') throw invalid('text', 'message text must not be empty.');
  if (countGraphemes(text, MAX_TEXT_GRAPHEMES) > MAX_TEXT_GRAPHEMES)
    throw invalid('text', `message text is over the limit of ${MAX_TEXT_GRAPHEMES} graphemes.`);
}

/**
 * Checks a reaction value: exactly one grapheme (an emoji), ≤ 64 UTF-8 bytes.
 * @throws {InvalidRequestError}
 */
export function assertReactionValue(value: string): void {
  if (typeof value !== 'string') throw invalid('value', 'a reaction must be a string (a single emoji).');
  // Cheapest bound first: more UTF-16 code units than bytes allowed can never fit.
  if (value.length > MAX_REACTION_BYTES || utf8Length(value) > MAX_REACTION_BYTES)
    throw invalid('value', `a reaction may take at most ${MAX_REACTION_BYTES} UTF-8 bytes.`);
  if (countGraphemes(value, 1) !== 1)
    throw invalid('value', 'a reaction must be exactly one grapheme (a single emoji).');
}

/**
 * Checks a page size (`undefined` means the provider default).
 * @throws {InvalidRequestError} when it is not an integer in 1..100.
 */
export function assertPageSize(limit: number | undefined): void {
  if (limit === undefined) return;
  if (!Number.isInteger(limit) || limit < PAGE_SIZE.min || limit > PAGE_SIZE.max)
    throw invalid('limit', `limit must be an integer from ${PAGE_SIZE.min} to ${PAGE_SIZE.max}.`);
}
