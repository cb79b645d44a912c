import { InvalidRequestError } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { assertPageSize, assertReactionValue, assertSendableText, countGraphemes } from './bluesky-limits.js';

const rejects = (fn: () => void, path: string) => {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(InvalidRequestError.isInstance(caught)).toBe(true);
  expect((caught as InvalidRequestError).issues[0]?.path).toBe(path);
};

describe('bluesky limits', () => {
  it('counts grapheme clusters (family emoji, flags, combining marks are one each)', () => {
    expect(countGraphemes('👨‍👩‍👧‍👦🇫🇷é')).toBe(3);
    expect(countGraphemes('e\u0301')).toBe(1);
  });

  it('accepts exactly 1000 graphemes and rejects 1001', () => {
    expect(() => assertSendableText('a'.repeat(1000))).not.toThrow();
    rejects(() => assertSendableText('a'.repeat(1001)), 'text');
  });

  it('rejects text over 10 000 UTF-8 bytes even within 1000 graphemes', () => {
    // A family emoji is one grapheme of 25 bytes: 401 of them are 10 025 bytes.
    const text = '👨‍👩‍👧‍👦'.repeat(401);
    expect(countGraphemes(text)).toBe(401);
    expect(() => assertSendableText('👨‍👩‍👧‍👦'.repeat(400))).not.toThrow();
    rejects(() => assertSendableText(text), 'text');
  });

  it('rejects blank text', () => {
    rejects(() => assertSendableText(''), 'text');
    rejects(() => assertSendableText(' \n\t'), 'text');
  });

  it('accepts one emoji as a reaction and rejects anything else', () => {
    for (const ok of ['👍', '👍🏽', '👨‍👩‍👧‍👦', '❤️']) expect(() => assertReactionValue(ok)).not.toThrow();
    for (const bad of ['', '👍👍', 'ok']) rejects(() => assertReactionValue(bad), 'value');
    // One grapheme cluster, but 65+ bytes (a base letter with 40 combining marks).
    rejects(() => assertReactionValue(`a${'\u0301'.repeat(40)}`), 'value');
  });

  it('refuses a 1,000,000-character reaction or text without stalling the event loop (cheap byte bound first)', () => {
    // Before: every grapheme was counted first, with Intl.Segmenter (quadratic in Node 20): minutes.
    // The bound is generous for a loaded CI machine; idle, each check takes well under 10 ms.
    const huge = 'a'.repeat(1_000_000);
    for (const [check, path] of [
      [() => assertReactionValue(huge), 'value'],
      [() => assertReactionValue('👍'.repeat(500_000)), 'value'],
      [() => assertSendableText(huge), 'text'],
      [() => assertSendableText(`a${'\u0301'.repeat(1_000_000)}`), 'text'],
    ] as const) {
      const started = performance.now();
      rejects(check, path);
      expect(performance.now() - started).toBeLessThan(200);
    }
    // Within the byte bound, the grapheme count still decides (linear, exact).
    const started = performance.now();
    rejects(() => assertSendableText('ab'.repeat(5_000)), 'text');
    expect(() => assertSendableText('👍🏽'.repeat(1_000))).not.toThrow();
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('accepts page sizes 1..100', () => {
    for (const ok of [undefined, 1, 50, 100]) expect(() => assertPageSize(ok)).not.toThrow();
    for (const bad of [0, 101, 1.5, Number.NaN]) rejects(() => assertPageSize(bad), 'limit');
  });
});
