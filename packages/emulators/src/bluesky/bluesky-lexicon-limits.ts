/**
 * Limits of the `chat.bsky.convo.*` lexicons (spec §2), plus the few numbers the emulator defines
 * where the real service publishes none. String "length" limits count UTF-8 bytes, "graphemes"
 * count grapheme clusters, array limits count items.
 */
export const LEXICON_LIMITS = {
  /** `limit` param of listConvos/getMessages. */
  page: { min: 1, max: 100, default: 50 },
  /** `messageInput.text`. */
  text: { maxGraphemes: 1000, maxBytes: 10_000 },
  /** `members` param of getConvoForMembers/getConvoAvailability. */
  members: { min: 1, max: 10 },
  /** `items` of sendMessageBatch. */
  batch: { max: 100 },
  /** `value` of addReaction/removeReaction: exactly one grapheme. */
  reaction: { minBytes: 1, maxBytes: 64, graphemes: 1 },
  /**
   * DEFINE: distinct reactions one user may put on one message before `ReactionLimitReached`.
   * The server's number is not public; 5 is the official client's `EMOJI_REACTION_LIMIT`.
   */
  reactionsPerUserPerMessage: 5,
  /** `createGroup`: `members` (the others; the lexicon's maxLength), `name` (bytes and graphemes). */
  createGroup: { maxMembers: 49, name: { minBytes: 1, maxBytes: 500, maxGraphemes: 50 } },
  /** `editGroup` `name` (and `groupConvo.name`): the pinned lexicon allows 128 graphemes. */
  editGroup: { name: { minBytes: 1, maxBytes: 1280, maxGraphemes: 128 } },
  /**
   * DEFINE: members a group may have, the owner included (`groupConvo.memberLimit`,
   * `getStatus.groupMemberLimit`): "Bluesky currently supports up to 100 total members".
   */
  groupMemberLimit: 100,
  /** DEFINE: members a group's `convoView.members` lists ("important members"); the rest via getConvoMembers. */
  groupViewMembers: 10,
  /** `getJoinLinkPreviews` `codes`. */
  joinLinkCodes: { min: 1, max: 50 },
  /** DEFINE: events per getLog response (the lexicon has no `limit`; poll again while non-empty). */
  logPage: 100,
} as const;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Counts grapheme clusters, as the lexicon's `maxGraphemes` does. */
export function countGraphemes(text: string): number {
  let count = 0;
  for (const _ of segmenter.segment(text)) count += 1;
  return count;
}

/** Counts UTF-8 bytes, as the lexicon's string `maxLength` does. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

// biome-ignore lint/complexity/useRegexLiterals: the `v` flag is newer than the compile target (Node 20 has it).
const SINGLE_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');

/** Whether `value` is a single emoji (what the chat service accepts as a reaction). */
export function isEmoji(value: string): boolean {
  return SINGLE_EMOJI.test(value);
}
