/**
 * Rich-text facets (`app.bsky.richtext.facet`): link detection for outgoing text, and link
 * attachments from the facets of received messages. Facet offsets are UTF-8 byte offsets (end
 * exclusive), while JS strings index UTF-16 code units, so every offset goes through a byte count.
 * @module
 */
import type { Attachment } from '@switchboard/core';
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
