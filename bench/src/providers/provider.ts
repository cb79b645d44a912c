/**
 * What a benchmark needs from one provider: an emulator with a conversation to send to (parent
 * side, serialisable `target`), and, in the measuring process, the clients under test built from
 * that target: Switchboard's `messenger.send`, raw axios posting the same request, and the official
 * SDK where one exists.
 * @module
 */
import type { Messenger } from '@switchboard/core';
import type { FaultKit } from '@switchboard/testkit/faults';

export const PROVIDER_IDS = ['bluesky', 'chats-api', 'brevo', 'aurora'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** One way of sending message number `i`; rejects when the provider did not accept it. */
export type SendFn = (i: number) => Promise<void>;

/** A client under test, ready to send. */
export interface Sender {
  send: SendFn;
  close(): Promise<void>;
}

/** The clients of one provider compared by the send benchmark, by label. */
export interface SenderFactories {
  /** `messenger.send` over the Switchboard adapter. */
  switchboard(): Promise<Sender>;
  /** Raw axios posting the same request with the same headers over a keep-alive agent. */
  axios(): Promise<Sender>;
  /** The provider's official SDK, when there is one (`@atproto/api`, `@getbrevo/brevo`). */
  sdk?: { label: string; create(): Promise<Sender> };
}

/** A running emulator prepared for sending. */
export interface EmulatorFixture<T> {
  /** Serialisable: URL, credentials, conversation id; handed to child processes. */
  target: T;
  faults: FaultKit;
  close(): Promise<void>;
}

/** Everything the send and rate-limit benchmarks need from a provider. */
export interface ProviderBench<T = unknown> {
  id: ProviderId;
  /** Starts the emulator with an account, a peer and one conversation. */
  startFixture(options?: { rateLimit?: { limit: number; windowMs: number } }): Promise<EmulatorFixture<T>>;
  /** The clients, built from a target (in whatever process measures them). */
  senders(target: T): SenderFactories;
  /** The id of the target's conversation, as the messenger takes it. */
  conversationId(target: T): string;
  /** A messenger logged in to the target. */
  messenger(target: T): Promise<Messenger>;
  /**
   * Texts of the messages we (the account under test) stored in the conversation, oldest first,
   * read from the emulator's own state (not through the adapter): lost/duplicate checks.
   */
  storedTexts(fixture: EmulatorFixture<T>): Promise<string[]>;
}

/** Texts of benchmark messages: unique per run and index, so lost and duplicated ones can be counted. */
export const messageText = (runTag: string, i: number) => `${runTag} message ${i}`;
