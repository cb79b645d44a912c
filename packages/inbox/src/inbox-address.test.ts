import { InvalidRequestError } from '@switchboard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatConversationRef,
  formatMessageRef,
  parseConversationRef,
  parseMessageRef,
  toConversationRef,
} from './inbox-address.js';

// Any UTF-16 string, lone surrogates included; biased towards the characters the escape rule touches.
const part = fc
  .array(fc.oneof(fc.constantFrom(':', '%', '%3A', '%25', '3A', '25', '%%'), fc.string({ unit: 'binary' })), {
    minLength: 1,
    maxLength: 6,
  })
  .map((pieces) => pieces.join(''))
  .filter((s) => s !== '');
const anyUnit = fc.string({ unit: fc.constantFrom('a', ':', '%', '2', '5', '3', 'A', 'a') });

describe('inbox addressing', () => {
  it('conversation refs round-trip through their qualified string, for any characters', () => {
    fc.assert(
      fc.property(part, part, (account, conversationId) => {
        const text = formatConversationRef({ account, conversationId });
        expect(text.split(':')).toHaveLength(2);
        expect(parseConversationRef(text)).toEqual({ account, conversationId });
      }),
      { numRuns: 500 },
    );
  });

  it('message refs round-trip through their qualified string, for any characters', () => {
    fc.assert(
      fc.property(part, part, part, (account, conversationId, messageId) => {
        const text = formatMessageRef({ account, conversationId, messageId });
        expect(parseMessageRef(text)).toEqual({ account, conversationId, messageId });
      }),
      { numRuns: 500 },
    );
  });

  it('every string the parser accepts formats back to itself; the others are InvalidRequestErrors', () => {
    fc.assert(
      fc.property(anyUnit, (text) => {
        let ref: ReturnType<typeof parseConversationRef> | undefined;
        try {
          ref = parseConversationRef(text);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidRequestError);
          return;
        }
        expect(formatConversationRef(ref)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('documents the escape rule with examples', () => {
    expect(formatConversationRef({ account: 'support', conversationId: 'a:b%c' })).toBe('support:a%3Ab%25c');
    expect(formatMessageRef({ account: 'bsky', conversationId: 'c1', messageId: 'm:1' })).toBe(
      'bsky:c1:m%3A1',
    );
    expect(toConversationRef('x%3Ay:z')).toEqual({ account: 'x:y', conversationId: 'z' });
  });

  it.each([
    ['', 'empty'],
    ['a', 'one part'],
    ['a:b:c', 'three parts for a conversation'],
    [':b', 'empty account'],
    ['a:', 'empty id'],
    ['a:%3a', 'lower-case escape'],
    ['a:%2', 'cut escape'],
    ['a:%\n1', 'escape of a line break'],
    ['a:100%', 'bare percent'],
  ])('rejects %j (%s)', (text) => {
    expect(() => parseConversationRef(text)).toThrow(InvalidRequestError);
  });

  it('rejects empty parts when formatting', () => {
    expect(() => formatConversationRef({ account: '', conversationId: 'x' })).toThrow(InvalidRequestError);
    expect(() => formatMessageRef({ account: 'a', conversationId: 'x', messageId: '' })).toThrow(
      InvalidRequestError,
    );
  });
});
