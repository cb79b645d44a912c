import { RichText } from '@atproto/api';
import { describe, expect, it } from 'vitest';
import {
  detectLinkFacets,
  detectMentionCandidates,
  detectMentionFacets,
  linkAttachments,
  mentionsFromFacets,
} from './bluesky-facets.js';

/** The links with an explicit scheme that the official client (`@atproto/api` RichText) detects. */
function officialLinkFacets(text: string) {
  const rich = new RichText({ text });
  rich.detectFacetsWithoutResolution();
  const bytes = Buffer.from(text);
  return (rich.facets ?? [])
    .filter((facet) => facet.features.some((f) => f.$type === 'app.bsky.richtext.facet#link'))
    .filter((facet) => /^https?:\/\//i.test(bytes.subarray(facet.index.byteStart).toString()))
    .map((facet) => ({ index: facet.index, features: facet.features }));
}

const texts = [
  'https://example.com',
  'see https://example.com/path?q=1.',
  'héllo 👋🏽 see https://example.com/a?b=c!',
  '👨‍👩‍👧‍👦 (https://x.com/a_(b)) and (https://y.org/z) ok',
  'two: http://a.example/ü/é https://b.example,',
  '日本語のテキスト https://例え.jp/パス です',
  'HTTPS://UPPER.example/CASE and a bare domain example.com',
];

describe('detectLinkFacets', () => {
  it.each(texts)('matches @atproto/api RichText on %j', (text) => {
    expect(detectLinkFacets(text)).toEqual(officialLinkFacets(text));
  });

  it('links only URLs with an http(s) scheme, not bare domains', () => {
    expect(detectLinkFacets('mail me at example.com or e.g. this')).toEqual([]);
  });

  it('counts UTF-8 bytes, not UTF-16 code units', () => {
    const text = '👋🏽 https://a.example';
    const [facet] = detectLinkFacets(text);
    // 👋🏽 is 4 UTF-16 units but 8 UTF-8 bytes, plus one space.
    expect(facet!.index).toEqual({ byteStart: 9, byteEnd: 9 + 'https://a.example'.length });
    expect(Buffer.from(text).subarray(facet!.index.byteStart, facet!.index.byteEnd).toString()).toBe(
      'https://a.example',
    );
  });
});

describe('linkAttachments', () => {
  it('turns link features into link attachments named after the text they cover', () => {
    const text = 'héllo 👋 read this';
    const start = Buffer.byteLength('héllo 👋 ');
    const facets = [
      {
        index: { byteStart: start, byteEnd: start + 9 },
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com/' }],
      },
      {
        index: { byteStart: 0, byteEnd: 6 },
        features: [{ $type: 'app.bsky.richtext.facet#mention', did: 'did:plc:x' }],
      },
    ];
    expect(linkAttachments(text, facets)).toEqual([
      { kind: 'link', url: 'https://example.com/', name: 'read this', raw: facets[0] },
    ]);
  });

  it('round-trips what detectLinkFacets produced', () => {
    const text = 'ça 🎉 https://a.example/x and https://b.example';
    expect(linkAttachments(text, detectLinkFacets(text)).map((a) => [a.url, a.name])).toEqual([
      ['https://a.example/x', 'https://a.example/x'],
      ['https://b.example', 'https://b.example'],
    ]);
  });
});

describe('mentions', () => {
  /** The mention facets `@atproto/api` RichText detects (before resolution its `did` is the handle). */
  function officialMentions(text: string) {
    const rich = new RichText({ text });
    rich.detectFacetsWithoutResolution();
    return (rich.facets ?? []).flatMap((facet) =>
      facet.features
        .filter((f) => f.$type === 'app.bsky.richtext.facet#mention')
        .map((f) => ({ handle: String((f as { did: string }).did).toLowerCase(), ...facet.index })),
    );
  }
  const mentionTexts = [
    '@alice.test hi',
    'héllo 👋🏽 @bob.example.com, and (@carol.test) too',
    '👨‍👩‍👧‍👦@not-a-mention.test but 👨‍👩‍👧‍👦 @dave.test.',
    'mail me at me@example.com or @Upper.Example.com',
    '日本語 @eve.bsky.social です\n@frank.test',
  ];

  it.each(mentionTexts)(
    'finds the same @handles and UTF-8 byte ranges as @atproto/api RichText in %j',
    (text) => {
      const ours = detectMentionCandidates(text).map((c) => ({
        handle: c.handle,
        byteStart: c.byteStart,
        byteEnd: c.byteEnd,
      }));
      expect(ours).toEqual(officialMentions(text));
      expect(ours.length).toBeGreaterThan(0);
    },
  );

  it('resolves each handle once and leaves handles that do not resolve as text', async () => {
    const text = '@alice.test and @ghost.test and @alice.test again';
    const asked: string[] = [];
    const facets = await detectMentionFacets(text, async (handle) => {
      asked.push(handle);
      return handle === 'alice.test' ? 'did:plc:alice' : undefined;
    });
    expect(asked).toEqual(['alice.test', 'ghost.test']);
    expect(facets.map((f) => [f.index.byteStart, f.index.byteEnd, f.features[0].did])).toEqual([
      [0, 11, 'did:plc:alice'],
      [32, 43, 'did:plc:alice'],
    ]);
  });

  it('maps incoming mention facets to UTF-16 ranges of the text', () => {
    const text = '👋🏽 hi @bob.test!';
    const byteStart = Buffer.byteLength('👋🏽 hi ');
    const mentions = mentionsFromFacets(text, [
      {
        index: { byteStart, byteEnd: byteStart + '@bob.test'.length },
        features: [{ $type: 'app.bsky.richtext.facet#mention', did: 'did:plc:bob' }],
      },
      // splits a character: skipped
      {
        index: { byteStart: 1, byteEnd: 3 },
        features: [{ $type: 'app.bsky.richtext.facet#mention', did: 'x' }],
      },
      {
        index: { byteStart: 0, byteEnd: 4 },
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'x' }],
      },
    ]);
    expect(mentions).toEqual([{ participantId: 'did:plc:bob', handle: 'bob.test', start: 8, end: 17 }]);
    expect(text.slice(mentions[0]!.start, mentions[0]!.end)).toBe('@bob.test');
  });
});
