import type { ChatAdapter } from '@switchboard/core';
import type { FaultKit } from './faults/index.js';

/**
 * The other party in a contract test: someone who can start a conversation with us and write to us.
 * Emulators implement it in-process (no adapter involved), so a bug in the adapter cannot hide it.
 */
export interface ContractPeer {
  /**
   * An id or handle that `adapter.openConversation({ participantIds: [participant] })` accepts, for
   * adapters that can open conversations.
   */
  participant?: string;
  /** Makes sure a conversation between us and the peer exists, and returns its id (as the adapter sees it). */
  startConversation(): Promise<string>;
  /** The peer writes `text` in the conversation. Resolves once the provider has accepted the message. */
  send(conversationId: string, text: string): Promise<void>;
  /**
   * Optional fast path to seed history: `count` messages alternating or from the peer, oldest first,
   * texts `${prefix}${i}` for i in 0..count-1. The suite falls back to `send` when absent.
   */
  seedHistory?(conversationId: string, count: number, prefix: string): Promise<void>;
}

/** What `setup()` returns for each contract case: a fresh adapter on a fresh backend. */
export interface ContractContext {
  adapter: ChatAdapter;
  peer: ContractPeer;
  /** Fault injection on the backend the adapter talks to (absent: the fault cases are skipped, with a reason). */
  faults?: FaultKit;
  /** The credentials given to the adapter; the suite checks none of them leaks into errors. */
  secrets?: string[];
  /**
   * Webhook adapters (`capabilities.realtime === 'webhook'`): the suite calls this once per case with
   * `messenger.handleWebhook`; deliver the backend's webhooks to it (e.g. from a local HTTP server you
   * start in `setup` and close in `teardown`). Absent: the webhook realtime cases are skipped, with a reason.
   */
  routeWebhooks?(handler: (request: Request) => Promise<Response>): void | Promise<void>;
  /** Closes the adapter's backend. The suite closes the adapter (`messenger.close()`) itself first. */
  teardown(): Promise<void>;
}

/** Options of `describeAdapterContract`. */
export interface AdapterContractOptions {
  /** Shown in the suite's title. */
  name: string;
  /** Called once per case. */
  setup(): Promise<ContractContext>;
  /** Case ids to skip, each with the reason shown in the report. */
  skip?: Record<string, string>;
  /** How long a peer's message may take to reach the `'message'` event after `start()`, in ms (default 5_000). */
  realtimeTimeoutMs?: number;
  /** Deadline of each case under vitest, in ms, setup and teardown included (default 60_000). */
  caseTimeoutMs?: number;
}
