import {
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SwitchboardError,
} from '@switchboard/core';
import type { HttpErrorContext } from '@switchboard/core/http';
import { describe, expect, it } from 'vitest';
import { auroraErrorLiterals, mapAuroraError } from './map-aurora-error.js';

const context = (status: number, body: unknown): HttpErrorContext => ({
  provider: 'aurora',
  status,
  body,
  headers: {},
  method: 'GET',
  url: 'https://chat-api.aurora-interactive.online:8443/api/v11/chat/preview?chatId=3',
});
const literal = (error: string) => ({ success: false, error });

describe('mapAuroraError', () => {
  it('maps "Invalid chat ID", "Invalid message ID" and another user’s id to NotFoundError', () => {
    for (const [status, text] of [
      [400, auroraErrorLiterals.invalidChatId],
      [400, auroraErrorLiterals.invalidMessageId],
      [401, auroraErrorLiterals.unauthorizedId],
    ] as const) {
      const error = mapAuroraError(context(status, literal(text)));
      expect(NotFoundError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ status, providerCode: text, provider: 'aurora', method: 'GET' });
    }
  });

  it('maps the quota literal (429) and any 402 to a non-retryable RateLimitError that says what to do', () => {
    for (const [status, body] of [
      [429, literal(auroraErrorLiterals.quotaExceeded)],
      [402, literal(auroraErrorLiterals.accountInBadStanding)],
      [402, undefined],
    ] as const) {
      const error = mapAuroraError(context(status, body));
      expect(RateLimitError.isInstance(error)).toBe(true);
      expect(error?.retryable).toBe(false);
      expect(error?.message).toMatch(
        /quota is used up.*Upgrade the plan or wait until the subscription renews/,
      );
    }
  });

  it('maps the private-character literal to PermissionDeniedError', () => {
    const error = mapAuroraError(context(403, { error: auroraErrorLiterals.privateCharacter }));
    expect(PermissionDeniedError.isInstance(error)).toBe(true);
  });

  it('leaves everything else to the status table', () => {
    expect(
      mapAuroraError(context(401, literal('Invalid username, password, or access token'))),
    ).toBeUndefined();
    expect(
      mapAuroraError(context(400, literal('One or more API parameters are malformed.'))),
    ).toBeUndefined();
    expect(
      mapAuroraError(
        context(429, { statusCode: 429, error: 'Too Many Requests', message: 'retry in 1 second' }),
      ),
    ).toBeUndefined();
    expect(mapAuroraError(context(500, '<html>oops</html>'))).toBeUndefined();
  });

  it('only builds Switchboard errors', () => {
    const error = mapAuroraError(context(400, literal(auroraErrorLiterals.invalidChatId)));
    expect(SwitchboardError.isInstance(error)).toBe(true);
    expect(InvalidRequestError.isInstance(error)).toBe(false);
  });
});
