import { describe, expect, it } from 'vitest';
import { nothingDeclared } from '../test/capabilities-fixture.js';
import { defineCapabilities } from './capabilities.js';
import { InvalidRequestError } from './errors.js';
import { normalizeOutgoing, textLength } from './validation.js';

const capabilities = (textLengthUnit: 'graphemes' | 'code-points' | 'utf-16', maxTextLength: number) =>
  defineCapabilities({ ...nothingDeclared, maxTextLength, textLengthUnit });

describe("textLengthUnit 'utf-16'", () => {
  it('is accepted by the capability schema', () => {
    expect(capabilities('utf-16', 4096).textLengthUnit).toBe('utf-16');
  });

  it('counts UTF-16 code units: an emoji is 2, an ASCII letter 1, e + combining accent 2', () => {
    expect(textLength('😀', 'utf-16')).toBe(2);
    expect(textLength('😀', 'code-points')).toBe(1);
    expect(textLength('😀', 'graphemes')).toBe(1);
    expect(textLength('ab', 'utf-16')).toBe(2);
    expect(textLength('e\u0301', 'utf-16')).toBe(2);
  });

  it('accepts ASCII text up to the limit and refuses one unit more, naming the unit', () => {
    const caps = capabilities('utf-16', 6);
    expect(normalizeOutgoing('a'.repeat(6), caps).text).toHaveLength(6);
    expect(() => normalizeOutgoing('a'.repeat(7), caps)).toThrow(InvalidRequestError);
    expect(() => normalizeOutgoing('a'.repeat(7), caps)).toThrow(/6 UTF-16 code units/);
  });

  it('refuses emoji text that fits in code points but not in UTF-16 code units', () => {
    const text = '😀'.repeat(4); // 4 code points, 8 UTF-16 units
    expect(() => normalizeOutgoing(text, capabilities('code-points', 6))).not.toThrow();
    expect(() => normalizeOutgoing(text, capabilities('utf-16', 6))).toThrow(InvalidRequestError);
    expect(normalizeOutgoing('😀'.repeat(3), capabilities('utf-16', 6)).text).toBe('😀😀😀');
  });
});
