import type { ChatAdapter } from '@switchboard/core';

/**
 * How the quickstart gets an adapter for one provider. The app itself (`main.ts`) only sees the
 * returned `ChatAdapter`; everything provider-specific (starting the emulator, seeding accounts,
 * playing the other party) stays in the provider's file under `providers/`.
 */
export interface DemoProvider {
  /** `--provider` value, e.g. `'bluesky'`. */
  name: string;
  setup(): Promise<DemoSetup>;
}

/** A ready adapter plus the other side of the conversation. */
export interface DemoSetup {
  adapter: ChatAdapter;
  /** One line saying where the demo runs (emulator URL, or the real service). */
  description: string;
  /** Whom to open a conversation with (a handle or id `openConversation` accepts). */
  peer?: string;
  /**
   * More participants (handles or ids) for the group part of the demo, besides `peer`. Absent: the
   * group part is skipped with a printed reason.
   */
  groupPeers?: string[];
  /** A conversation that already exists, for providers where the other side starts it (Brevo: a visitor). */
  conversationId?: string;
  /**
   * Makes the other party answer `text` in the conversation (the emulator plays them).
   * Absent when the provider answers by itself (Aurora's AI character).
   */
  peerReply?(conversationId: string, text: string): Promise<void>;
  teardown(): Promise<void>;
}
