/**
 * `@switchboard/inbox`: several accounts, on one or several providers, as one inbox.
 *
 * {@link createInbox} takes account key → `Messenger` and gives one merged conversation list
 * (lazy, by latest activity), one event stream with the account attached, unread counts, per-account
 * health, and a round-trippable way to address an account's conversation or message.
 * @module @switchboard/inbox
 */
export * from './inbox.js';
export * from './inbox-address.js';
export type * from './inbox-types.js';
export * from './merge-by-activity.js';
