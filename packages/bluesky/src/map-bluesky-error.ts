/**
 * XRPC error bodies (`{error, message}`) → the Switchboard error table. Plugged into the HTTP
 * toolkit's `mapError`; what it leaves `undefined` falls back to the status table.
 * @module
 */
import {
  AuthenticationError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  ProviderUnavailableError,
  RateLimitError,
  type SwitchboardError,
} from '@switchboard/core';
import { type HttpErrorContext, httpErrorOptions } from '@switchboard/core/http';

/** What to do when the app password lacks DM access (shown in the `PermissionDeniedError`). */
export const DM_ACCESS_HINT =
  'Create an app password with "Allow access to your direct messages" checked ' +
  '(Bluesky: Settings → Privacy and security → App passwords → Add App Password) and use it as the password ' +
  '(BLUESKY_APP_PASSWORD).';

const NOT_FOUND_NAMES = new Set(['InvalidConvo', 'HandleNotFound', 'RecipientNotFound']);
const NOT_FOUND_MESSAGES = /convo not found|unable to resolve handle|(account|recipient) does not exist/i;
const NOT_SERVED_NAMES = new Set(['XRPCNotSupported', 'MethodNotImplemented']);

/**
 * Declared errors of the group and convo lexicons that say "not allowed", with what to do about it.
 * Each becomes a `PermissionDeniedError` (`InvalidRequestError` for the limits: see below).
 */
export const GROUP_ERROR_HINTS: Readonly<Record<string, string>> = {
  NewAccountCannotCreateGroup:
    'this account is too new to create group chats (chat.bsky.actor.getStatus canCreateGroups is false); use an older account or try again later.',
  NotFollowedBySender:
    'the recipient only accepts group invites or chats from accounts they follow; ask them to follow you first.',
  BlockedActor: 'you have blocked this account; unblock it before adding it to a conversation.',
  BlockedSubject: 'this account has blocked you, so you cannot add it to a conversation.',
  UserForbidsGroups: 'the recipient does not accept group invites (allowGroupInvites: none).',
  InsufficientRole: 'only the group owner can do this.',
  ConvoLocked: 'the group is locked: nothing can be added to it until its owner unlocks it.',
  ConvoLockedByModeration: 'the group was locked by moderation and cannot be unlocked.',
  MessagesDisabled: 'the recipient does not accept direct messages.',
  AccountSuspended: 'the account is suspended.',
  UserKicked: 'you were removed from this group and cannot join it again by link.',
  FollowRequired: "the group's join link requires its owner to follow you.",
  LinkDisabled: "the group's join link is disabled.",
};

/** Declared limit and state errors that are the caller's to fix: `InvalidRequestError` with a hint. */
export const GROUP_REQUEST_HINTS: Readonly<Record<string, string>> = {
  MemberLimitReached:
    'the group would exceed its member limit (groupConvo.memberLimit, 100 on Bluesky today); remove members or add fewer.',
  OwnerCannotLeave: 'the owner cannot leave a group before locking it (lockConversation).',
  InvalidCode: 'the join link code does not exist.',
  EnabledJoinLinkAlreadyExists: 'the group already has an enabled join link; edit or disable it instead.',
  NoJoinLink: 'the group has no join link; create one first.',
  LinkAlreadyEnabled: 'the join link is already enabled.',
  InvalidJoinRequest: 'there is no pending join request to withdraw.',
};

function nsidOf(url: string): string {
  const path = new URL(url).pathname;
  return path.startsWith('/xrpc/') ? path.slice('/xrpc/'.length) : path;
}

/**
 * Maps a failed XRPC response:
 *
 * | XRPC error | class |
 * |---|---|
 * | `InvalidToken` "Bad token method" / "Bad token scope" (app password without DM access) | `PermissionDeniedError` with {@link DM_ACCESS_HINT} |
 * | `ExpiredToken`, other `InvalidToken` | `AuthenticationError` (`providerCode` kept: the session is refreshed) |
 * | `AuthFactorTokenRequired` | `AuthenticationError` (use an app password) |
 * | `AccountTakedown` | `PermissionDeniedError` |
 * | other 401 / `AuthenticationRequired` on `createSession` | `AuthenticationError` "Invalid identifier or password" |
 * | `InvalidConvo`, "Convo not found", `HandleNotFound`, `RecipientNotFound` | `NotFoundError` |
 * | `NewAccountCannotCreateGroup`, `NotFollowedBySender`, `BlockedActor`, `BlockedSubject`, `UserForbidsGroups`, `InsufficientRole`, `ConvoLocked`, … ({@link GROUP_ERROR_HINTS}) | `PermissionDeniedError` with what to do |
 * | `MemberLimitReached`, `OwnerCannotLeave`, join-link states ({@link GROUP_REQUEST_HINTS}) | `InvalidRequestError` with what to do |
 * | 429 / `RateLimitExceeded` | `RateLimitError` (`retryAfterMs` from `Retry-After` / `RateLimit-Reset`) |
 * | `XRPCNotSupported`, `MethodNotImplemented` | `InvalidRequestError` (check `service` / `chatServiceDid`) |
 * | 5xx (`UpstreamFailure` 502, …) | `ProviderUnavailableError` |
 * | any other 400 | `InvalidRequestError` with the XRPC message |
 *
 * Anything else is left to the status table (`undefined`).
 */
export function mapBlueskyError(context: HttpErrorContext): SwitchboardError | undefined {
  const { status, providerCode: name } = context;
  const text = typeof context.providerMessage === 'string' ? context.providerMessage : '';
  const nsid = nsidOf(context.url);
  const options = httpErrorOptions(context);
  const detail = `${nsid} failed with HTTP ${status}${name ? ` ${name}` : ''}${text && text !== name ? `: ${text}` : ''}`;

  if (/Bad token (method|scope)/i.test(text))
    return new PermissionDeniedError(
      `bluesky: this app password has no access to direct messages (${detail}). ${DM_ACCESS_HINT}`,
      options,
    );
  if (name === 'ExpiredToken' || name === 'InvalidToken')
    return new AuthenticationError(`bluesky: the session is no longer valid (${detail}).`, options);
  if (name === 'AuthFactorTokenRequired')
    return new AuthenticationError(
      `bluesky: this account requires an email sign-in code (${detail}); log in with an app password instead.`,
      options,
    );
  if (name === 'AccountTakedown') return new PermissionDeniedError(`bluesky: ${detail}.`, options);
  if (nsid === 'com.atproto.server.createSession' && (status === 401 || name === 'AuthenticationRequired'))
    return new AuthenticationError(
      'bluesky: Invalid identifier or password (com.atproto.server.createSession). ' +
        'Check BLUESKY_IDENTIFIER and BLUESKY_APP_PASSWORD.',
      options,
    );
  if (name === 'RecipientNotFound')
    return new NotFoundError(
      `bluesky: a participant does not exist or has no chat account (${detail}). Check the DIDs or handles.`,
      options,
    );
  if ((name && NOT_FOUND_NAMES.has(name)) || NOT_FOUND_MESSAGES.test(text))
    return new NotFoundError(`bluesky: ${detail}.`, options);
  const groupHint = name && Object.hasOwn(GROUP_ERROR_HINTS, name) ? GROUP_ERROR_HINTS[name] : undefined;
  if (groupHint) return new PermissionDeniedError(`bluesky: ${groupHint} (${detail})`, options);
  const requestHint =
    name && Object.hasOwn(GROUP_REQUEST_HINTS, name) ? GROUP_REQUEST_HINTS[name] : undefined;
  if (requestHint) return new InvalidRequestError(`bluesky: ${requestHint} (${detail})`, options);
  if (status === 429 || name === 'RateLimitExceeded')
    return new RateLimitError(
      `bluesky: rate limited (${detail}).${options.retryAfterMs === undefined ? '' : ` Retry after ${options.retryAfterMs} ms.`}`,
      options,
    );
  if (name && NOT_SERVED_NAMES.has(name))
    return new InvalidRequestError(
      `bluesky: ${detail}. The server does not serve this method: check the \`service\` URL and \`chatServiceDid\`.`,
      options,
    );
  if (status >= 500) return new ProviderUnavailableError(`bluesky: ${detail}.`, options);
  if (status === 400) return new InvalidRequestError(`bluesky: ${detail}.`, options);
  return undefined;
}
