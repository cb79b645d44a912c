/**
 * Rich-text facets (`app.bsky.richtext.facet`): link detection for outgoing text, and link
 * attachments from the facets of received messages. Facet offsets are UTF-8 byte offsets (end
 * exclusive), while JS strings index UTF-16 code units, so every offset goes through a byte count.
 * @module
 */
import type { Attachment, Mention } from '@switchboard/core';
import { utf8Length } from './bluesky-limits.js';
import { BlueskyTypes } from './bluesky-schemas.js';

/** A link facet as sent in `messageInput.facets`. */
export interface LinkFacet {
  index: { byteStart: number; byteEnd: number };
  features: [{ $type: typeof BlueskyTypes.linkFeature; uri: string }];
}

/** Lower-case `http(s)://…` at a line start, after whitespace or after `(`: `@atproto/api` RichText links the same. */
const LINK_PATTERN = /(^|\s|\()(https?:\/\/\S+)/gm;

/**
 * Finds the `http://` and `https://` URLs in `text` and returns one link facet per URL, with UTF-8
 * byte offsets. Trailing punctuation (`.,;:!?`) and an unbalanced `)` are not part of the link.
 */
export function detectLinkFacets(text: string): LinkFacet[] {
  const facets: LinkFacet[] = [];
  for (const match of text.matchAll(LINK_PATTERN)) {
    let uri = match[2]!;
    if (/[.,;:!?]$/.test(uri)) uri = uri.slice(0, -1);
    if (uri.endsWith(')') && !uri.includes('(')) uri = uri.slice(0, -1);
    const start = match.index + match[1]!.length;
    const byteStart = utf8Length(text.slice(0, start));
    facets.push({
      index: { byteStart, byteEnd: byteStart + utf8Length(uri) },
      features: [{ $type: BlueskyTypes.linkFeature, uri }],
    });
  }
  return facets;
}

/** The parts of an `app.bsky.richtext.facet` that link extraction reads. */
export interface FacetLike {
  index: { byteStart: number; byteEnd: number };
  features: ReadonlyArray<{ $type?: string | undefined; uri?: unknown }>;
}

/**
 * One `link` attachment per link feature in `facets`; `name` is the text the facet covers.
 * The facet is kept as the attachment's `raw`.
 */
export function linkAttachments(text: string, facets: readonly FacetLike[] | undefined): Attachment[] {
  if (!facets?.length) return [];
  const bytes = Buffer.from(text, 'utf8');
  return facets.flatMap((facet) =>
    facet.features.flatMap((feature): Attachment[] => {
      if (feature.$type !== BlueskyTypes.linkFeature || typeof feature.uri !== 'string') return [];
      const name = bytes.subarray(facet.index.byteStart, facet.index.byteEnd).toString('utf8');
      return [{ kind: 'link', url: feature.uri, ...(name ? { name } : {}), raw: facet }];
    }),
  );
}

/** A mention facet as sent in `messageInput.facets`. */
export interface MentionFacet {
  index: { byteStart: number; byteEnd: number };
  features: [{ $type: typeof BlueskyTypes.mentionFeature; did: string }];
}

/** `@handle` at a line start, after whitespace or after `(`: the pattern `@atproto/api` RichText uses. */
const MENTION_PATTERN = /(^|\s|\()(@)([a-zA-Z0-9.-]+)(\b)/g;
/** A syntactically valid handle: dot-separated labels, the last one starting with a letter. */
const HANDLE_PATTERN =
  /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/** An `@handle` found in text, with the UTF-8 byte range of `@handle` (the `@` included). */
export interface MentionCandidate {
  /** The handle, lower-case, without `@`. */
  handle: string;
  byteStart: number;
  byteEnd: number;
}

/**
 * Finds `@handle` mentions in `text` (the same pattern as `@atproto/api` RichText `detectFacets`;
 * a candidate must be a syntactically valid handle). Offsets are UTF-8 bytes, end exclusive.
 * Unlike RichText there is no top-level-domain list: a candidate with an unknown TLD is simply not
 * resolved, so it stays plain text all the same.
 */
export function detectMentionCandidates(text: string): MentionCandidate[] {
  const candidates: MentionCandidate[] = [];
  for (const match of text.matchAll(MENTION_PATTERN)) {
    const handle = match[3]!;
    if (handle.length > 253 || !HANDLE_PATTERN.test(handle)) continue;
    const start = match.index + match[1]!.length;
    const byteStart = utf8Length(text.slice(0, start));
    candidates.push({ handle: handle.toLowerCase(), byteStart, byteEnd: byteStart + 1 + utf8Length(handle) });
  }
  return candidates;
}

/**
 * Mention facets for the `@handle`s in `text`: each distinct handle is resolved once with `resolve`
 * (a DID, or `undefined` when the handle does not exist: that mention stays plain text, as in the
 * Bluesky app).
 */
export async function detectMentionFacets(
  text: string,
  resolve: (handle: string) => Promise<string | undefined>,
): Promise<MentionFacet[]> {
  const candidates = detectMentionCandidates(text);
  if (candidates.length === 0) return [];
  const handles = [...new Set(candidates.map((c) => c.handle))];
  const dids = new Map(await Promise.all(handles.map(async (h) => [h, await resolve(h)] as const)));
  return candidates.flatMap((candidate): MentionFacet[] => {
    const did = dids.get(candidate.handle);
    if (did === undefined) return [];
    return [
      {
        index: { byteStart: candidate.byteStart, byteEnd: candidate.byteEnd },
        features: [{ $type: BlueskyTypes.mentionFeature, did }],
      },
    ];
  });
}

/** The UTF-16 index of UTF-8 byte offset `byte` in `bytes` (the text's encoding), or `undefined` mid-character. */
function utf16Index(bytes: Buffer, byte: number): number | undefined {
  if (byte < 0 || byte > bytes.length) return undefined;
  const prefix = bytes.subarray(0, byte).toString('utf8');
  return Buffer.byteLength(prefix, 'utf8') === byte ? prefix.length : undefined;
}

/**
 * The mentions of a received message: one {@link Mention} per `#mention` feature in `facets`, with
 * its UTF-16 range in `text` (facets whose byte range is out of bounds or splits a character are
 * skipped), in text order.
 */
export function mentionsFromFacets(
  text: string,
  facets:
    | ReadonlyArray<{
        index: { byteStart: number; byteEnd: number };
        features: ReadonlyArray<{ $type?: string | undefined; did?: unknown; [key: string]: unknown }>;
      }>
    | undefined,
): Mention[] {
  if (!facets?.length) return [];
  const bytes = Buffer.from(text, 'utf8');
  const mentions: Mention[] = [];
  for (const facet of facets) {
    for (const feature of facet.features) {
      if (feature.$type !== BlueskyTypes.mentionFeature || typeof feature.did !== 'string') continue;
      const start = utf16Index(bytes, facet.index.byteStart);
      const end = utf16Index(bytes, facet.index.byteEnd);
      if (start === undefined || end === undefined || end <= start) continue;
      const written = text.slice(start, end);
      mentions.push({
        participantId: feature.did,
        ...(written.startsWith('@') && written.length > 1 ? { handle: written.slice(1) } : {}),
        start,
        end,
      });
    }
  }
  return mentions.sort((a, b) => a.start - b.start);
}
