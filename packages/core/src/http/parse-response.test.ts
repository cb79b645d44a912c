import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { InvalidResponseError } from '../errors.js';
import { parseJsonText, parseSuccessBody, readErrorBody } from './parse-response.js';

const context = { provider: 'acme', method: 'POST' as const, path: '/bot12345678/send', status: 200 };

describe('parse-response', () => {
  it('parses JSON once, telling JSON from text', () => {
    expect(parseJsonText('{"a":1}')).toEqual({ json: true, value: { a: 1 } });
    expect(parseJsonText('Bad Gateway')).toEqual({ json: false });
  });

  it('reads an error body as JSON when it says or looks so, else as text, secrets scrubbed', () => {
    expect(readErrorBody('', 'application/json', [])).toBeUndefined();
    expect(readErrorBody('{"error":"x12345678"}', 'text/plain', ['x12345678'])).toEqual({
      error: '[REDACTED]',
    });
    expect(readErrorBody('123', 'text/plain', [])).toBe('123');
    expect(readErrorBody('123', 'application/json', [])).toBe(123);
    expect(readErrorBody('{broken', 'application/json', [])).toBe('{broken');
  });

  it('validates a 2xx body; redaction is asked for only when the body is refused', () => {
    let asked = 0;
    const redaction = () => {
      asked += 1;
      return { safeUrl: 'https://acme.test/bot[REDACTED]/send', secrets: ['12345678'] };
    };
    const schema = z.object({ ok: z.literal(true) });
    const base = { ...context, redaction, idempotent: false };
    expect(parseSuccessBody('{"ok":true}', { ...base, schema })).toEqual({ ok: true });
    expect(parseSuccessBody('', { ...base, schema: undefined })).toBeUndefined();
    expect(parseSuccessBody('plain', { ...base, schema: undefined })).toBe('plain');
    expect(asked).toBe(0);
    for (const text of ['{"ok":false}', 'not json']) {
      const error = (() => {
        try {
          return parseSuccessBody(text, { ...base, schema });
        } catch (thrown) {
          return thrown;
        }
      })() as InvalidResponseError;
      expect(InvalidResponseError.isInstance(error)).toBe(true);
      expect(error.outcome).toBe('unknown');
      expect(error.url).toBe('https://acme.test/bot[REDACTED]/send');
      expect(`${error.message} ${error.stack}`).not.toContain('12345678');
    }
    expect(asked).toBe(2);
  });
});
