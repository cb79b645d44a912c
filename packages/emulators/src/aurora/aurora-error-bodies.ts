/**
 * The Aurora API's documented error literals (SDK `src/models/components/*.ts`, v5.1.0 and v11.4.0).
 * The server answers each as `{ success: false, error: <literal> }`, except the private-character
 * error, which the SDK models without `success`.
 * @module
 */

/** Every `error` string the Aurora SDK declares, by the SDK's model name. */
export const auroraErrorText = {
  /** `BadRequestError` / `DefaultBadRequest` (HTTP 400). */
  badRequest: 'One or more API parameters are malformed. Please check your request and try again',
  /** `AuthenticationFailedError` / `DefaultUnauthorizedResponse` (HTTP 401). */
  authenticationFailed: 'Invalid username, password, or access token',
  /** `UnauthorizedIdError` (HTTP 401): the chat or message exists but belongs to someone else. */
  unauthorizedId: 'Chat or message does not belong to this user',
  /** `InvalidChatIdError` (HTTP 400). */
  invalidChatId: 'Invalid chat ID',
  /** `InvalidMessageIdError` (HTTP 400). */
  invalidMessageId: 'Invalid message ID',
  /** `SignupFailedRequest` (HTTP 400). */
  signupFailed: 'Username or email already in use',
  /** `AccountInBadStandingError` (HTTP 402, the seed-era quota answer). */
  accountInBadStanding: 'Account associated with this access token is not subscribed to a paid plan',
  /** `PrivateCharacterError` (HTTP 403, v11). */
  privateCharacter: 'This character is private and you are not the creator',
  /** `RateLimitReachedError`, quota variant (HTTP 429, v9.2+). */
  quotaExceeded:
    'You have exceeded your Message/TTS quota. To send more messages, please upgrade your plan or wait until your subscription renews.',
} as const;

/** One of the documented error strings. */
export type AuroraErrorText = (typeof auroraErrorText)[keyof typeof auroraErrorText];

/** The JSON body Aurora sends with a documented error. */
export function auroraErrorBody(text: AuroraErrorText): { success?: false; error: AuroraErrorText } {
  return text === auroraErrorText.privateCharacter ? { error: text } : { success: false, error: text };
}
