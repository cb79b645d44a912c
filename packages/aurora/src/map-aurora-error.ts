import {
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type SwitchboardError,
} from '@switchboard/core';
import { type HttpErrorContext, httpErrorOptions } from '@switchboard/core/http';
import { errorBodySchema } from './aurora-schemas.js';

/** The documented `error` literals the mapping recognises (SDK v5.1.0 and v11.4.0 models). */
export const auroraErrorLiterals = {
  invalidChatId: 'Invalid chat ID',
  invalidMessageId: 'Invalid message ID',
  unauthorizedId: 'Chat or message does not belong to this user',
  accountInBadStanding: 'Account associated with this access token is not subscribed to a paid plan',
  quotaExceeded:
    'You have exceeded your Message/TTS quota. To send more messages, please upgrade your plan or wait until your subscription renews.',
  privateCharacter: 'This character is private and you are not the creator',
} as const;

/**
 * Aurora's error bodies → Switchboard errors, for `createHttpClient({ mapError })`. Returns
 * `undefined` for everything else (the status table applies: 400 invalid request, 401
 * authentication, 5xx unavailable, a rate limiter's 429 with its `retry-after`).
 *
 * - "Invalid chat ID" / "Invalid message ID" (400) → `NotFoundError`;
 * - "Chat or message does not belong to this user" (401) → `NotFoundError` (another user's chat is
 *   not ours to see; it is not a credentials problem, so it never triggers a re-login);
 * - the quota literal (429) and any 402 ("not subscribed to a paid plan", the seed-era quota answer)
 *   → `RateLimitError`, not retryable: waiting minutes does not renew a plan;
 * - "This character is private…" (403) → `PermissionDeniedError`.
 */
export function mapAuroraError(context: HttpErrorContext): SwitchboardError | undefined {
  const parsed = errorBodySchema.safeParse(context.body);
  const literal = parsed.success ? parsed.data.error : undefined;
  const options = httpErrorOptions(context, literal === undefined ? {} : { providerCode: literal });
  const where = `${context.method} ${new URL(context.url).pathname}`;

  if (literal === auroraErrorLiterals.invalidChatId)
    return new NotFoundError(`aurora: ${where}: no such chat (Aurora says "Invalid chat ID").`, options);
  if (literal === auroraErrorLiterals.invalidMessageId)
    return new NotFoundError(
      `aurora: ${where}: no such message (Aurora says "Invalid message ID").`,
      options,
    );
  if (literal === auroraErrorLiterals.unauthorizedId)
    return new NotFoundError(`aurora: ${where}: the chat or message belongs to another user.`, options);
  if (literal === auroraErrorLiterals.privateCharacter)
    return new PermissionDeniedError(`aurora: ${where}: the character is private to its creator.`, options);
  if (context.status === 402 || literal === auroraErrorLiterals.quotaExceeded)
    return new RateLimitError(
      `aurora: ${where}: the account's message quota is used up (Aurora says "${literal ?? 'HTTP 402'}"). ` +
        'Upgrade the plan or wait until the subscription renews.',
      { ...options, retryable: false },
    );
  return undefined;
}
