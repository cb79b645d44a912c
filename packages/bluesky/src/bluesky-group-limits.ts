/**
 * Limits of the `chat.bsky.group.*` lexicons as pinned (`@atproto/api` 0.20.11), checked before any
 * request. Graphemes are counted with `Intl.Segmenter`, bytes as UTF-8, as the lexicons count them.
 * @module
 */
import { InvalidRequestError } from '@switchboard/core';
import { countGraphemes, utf8Length } from './bluesky-limits.js';

/** `createGroup.name`: 1..50 graphemes and at most 500 UTF-8 bytes. */
export const GROUP_NAME_LIMITS = { maxGraphemes: 50, maxBytes: 500 } as const;
/** `editGroup.name`: the pinned lexicon allows up to 128 graphemes and 1280 UTF-8 bytes. */
export const GROUP_RENAME_LIMITS = { maxGraphemes: 128, maxBytes: 1280 } as const;
/** `createGroup.members`: at most 49 others (50 with the owner) in the pinned lexicon. */
export const MAX_GROUP_MEMBERS_AT_CREATE = 49;
/** `sendMessageBatch.items`: at most 100 per call. */
export const MAX_BATCH_ITEMS = 100;

function invalid(path: string, message: string): InvalidRequestError {
  return new InvalidRequestError(`bluesky: ${message}`, { provider: 'bluesky', issues: [{ path, message }] });
}

/**
 * Checks a group name against `limits`: a string, not blank, within the grapheme and byte limits.
 * @throws {InvalidRequestError} naming the limit that was broken.
 */
export function assertGroupName(
  name: unknown,
  limits: { maxGraphemes: number; maxBytes: number },
  path = 'title',
): asserts name is string {
  if (typeof name !== 'string' || name.trim() === '') throw invalid(path, 'a group name must not be empty.');
  const graphemes = countGraphemes(name);
  if (graphemes > limits.maxGraphemes)
    throw invalid(
      path,
      `a group name is at most ${limits.maxGraphemes} graphemes; this one has ${graphemes}.`,
    );
  const bytes = utf8Length(name);
  if (bytes > limits.maxBytes)
    throw invalid(path, `a group name is at most ${limits.maxBytes} UTF-8 bytes; this one has ${bytes}.`);
}

/**
 * A name for a group opened without a title (the lexicon requires one): the participants as given,
 * joined with ", " and cut to {@link GROUP_NAME_LIMITS}.
 */
export function defaultGroupName(participants: readonly string[]): string {
  const names = participants.map((p) => p.replace(/^@/, '').replace(/\.bsky\.social$/, ''));
  let name = '';
  for (const part of names) {
    const next = name === '' ? part : `${name}, ${part}`;
    if (
      countGraphemes(next) > GROUP_NAME_LIMITS.maxGraphemes - 1 ||
      utf8Length(next) > GROUP_NAME_LIMITS.maxBytes - 3
    )
      return name === '' ? `${[...part].slice(0, GROUP_NAME_LIMITS.maxGraphemes - 1).join('')}…` : `${name}…`;
    name = next;
  }
  return name;
}
