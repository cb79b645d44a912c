import type { FaultKit } from '@switchboard/testkit/faults';
import { serveWithFaults } from '../shared/serve-with-faults.js';
import { type BrevoVisitorWrite, createBrevoConversations } from './brevo-conversations.js';
import { type BrevoRestMessage, type BrevoWebhookEventName, toRestMessage } from './brevo-payloads.js';
import { brevoProfile } from './brevo-profile.js';
import { createBrevoRoutes } from './brevo-routes.js';
import {
  type BrevoAgentRecord,
  type BrevoFileInput,
  type BrevoFileShape,
  type BrevoVisitorInput,
  createBrevoState,
} from './brevo-state.js';
import {
  type BrevoWebhookControl,
  type BrevoWebhookDeliveryOptions,
  createBrevoWebhookSender,
} from './brevo-webhook-sender.js';

/** An agent to create on the emulated account. */
export interface BrevoAgentInput {
  /** Default: a generated 17-character id. */
  id?: string;
  name: string;
  email: string;
  userpic?: string | null;
  groupId?: string | null;
}

/** Options of {@link startBrevoEmulator}. */
export interface BrevoEmulatorOptions {
  /** The key the `api-key` header must carry (default `'brevo-emulator-key'`). */
  apiKey?: string;
  /** Where webhooks are POSTed (Brevo: Conversations › Settings › Integrations › Webhooks). */
  webhookUrl?: string;
  /** Added to the webhook URL as `?token=<secret>`; see `WEBHOOK_TOKEN_PARAM`. */
  webhookSecret?: string;
  /** Event types selected for the webhook (default: all three). */
  webhookEvents?: readonly BrevoWebhookEventName[];
  /** Redelivery and ordering of webhooks (default: each once, messages oldest first). */
  webhookDelivery?: BrevoWebhookDeliveryOptions;
  /** A window rate limit on every request, answered with `x-sib-ratelimit-*` headers and 429s. */
  rateLimit?: { limit: number; windowMs: number };
  /** Agents of the account (default: one agent, "Liz" `liz@example.com`). */
  agents?: BrevoAgentInput[];
  /** Seed of the id generator (ids are deterministic for a given seed and call sequence). */
  seed?: number;
  /** Clock in epoch ms (default `Date.now`); message `createdAt`s are strictly increasing. */
  now?: () => number;
}

/** Options of one visitor message. */
export interface BrevoVisitorWriteOptions {
  file?: BrevoFileInput;
  /** How the file is rendered in REST and webhooks (default `'file'`). */
  fileShape?: BrevoFileShape;
}

/** A visitor, played in-process by a test: the other side of a Brevo conversation. */
export interface BrevoVisitor {
  /** The `visitorId` the REST API takes. */
  readonly id: string;
  /** The webhooks' `conversationId`. */
  readonly conversationId: string;
  /**
   * Writes one message. The first message of a chat triggers `conversationStarted`, later ones
   * `conversationFragment`. Resolves with the stored message (REST shape) once webhooks were delivered.
   */
  write(text: string, options?: BrevoVisitorWriteOptions): Promise<BrevoRestMessage>;
  /** Writes several messages delivered together (one fragment, or `conversationStarted` plus one fragment). */
  writeBatch(writes: Array<string | BrevoVisitorWrite>): Promise<BrevoRestMessage[]>;
  /** Ends the chat: a `conversationTranscript` with every message. The next write starts a new chat. */
  finish(): Promise<void>;
  /** This visitor's conversation, oldest first (REST shape). */
  messages(): BrevoRestMessage[];
}

/** The emulated account's agents. */
export interface BrevoAgents {
  add(input: BrevoAgentInput): Readonly<BrevoAgentRecord>;
  /** Every agent, including dummy agents created from an unknown `agentEmail`. */
  list(): Readonly<BrevoAgentRecord>[];
  get(id: string): Readonly<BrevoAgentRecord> | undefined;
  /** `true` while the agent's last `agentOnlinePing` is less than 2.5 minutes old. */
  isOnline(id: string): boolean;
}

/** A running Brevo Conversations emulator. */
export interface BrevoEmulator {
  /** Base URL including `/v3`, e.g. `http://127.0.0.1:53211/v3`. */
  readonly url: string;
  readonly apiKey: string;
  readonly faults: FaultKit;
  readonly agents: BrevoAgents;
  /** Webhook deliveries, redelivery, ordering and pausing. */
  readonly webhooks: BrevoWebhookControl;
  /** Sets (or removes) the webhook URL; `secret` is added as `?token=<secret>`. */
  setWebhook(url: string | undefined, secret?: string): void;
  /** The visitor with this id (created on first use), or a new visitor. */
  visitor(idOrOptions?: string | BrevoVisitorInput): BrevoVisitor;
  /** Stored messages (of one visitor, or all), oldest first, REST shape. */
  messages(visitorId?: string): BrevoRestMessage[];
  /** Closes the server, every open connection and every in-flight webhook. */
  close(): Promise<void>;
}

/**
 * Starts a local Brevo Conversations API on `127.0.0.1` (random port): the nine `/v3/conversations/*`
 * endpoints with `api-key` auth, `{ code, message }` errors, `x-sib-ratelimit-*` headers, and webhooks
 * (`conversationStarted`, `conversationFragment`, `conversationTranscript`) POSTed to `webhookUrl`
 * when a visitor or an agent writes.
 */
export async function startBrevoEmulator(options: BrevoEmulatorOptions = {}): Promise<BrevoEmulator> {
  const apiKey = options.apiKey ?? 'brevo-emulator-key';
  const state = createBrevoState({
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.now && { now: options.now }),
  });
  for (const agent of options.agents ?? [{ name: 'Liz', email: 'liz@example.com' }]) state.addAgent(agent);

  const sender = createBrevoWebhookSender({
    ...options.webhookDelivery,
    ...(options.webhookUrl !== undefined && { url: options.webhookUrl }),
    ...(options.webhookSecret !== undefined && { secret: options.webhookSecret }),
    ...(options.webhookEvents && { events: options.webhookEvents }),
  });
  const conversations = createBrevoConversations(state, (event) => sender.send(event));
  const app = createBrevoRoutes({
    apiKey,
    state,
    conversations,
    afterResponse: (work) => sender.defer(work),
  });

  const { faults, port, close } = await serveWithFaults(app.fetch, {
    profile: brevoProfile,
    rateLimit: options.rateLimit,
  });

  const rest = (visitorId?: string) =>
    state.messages(visitorId).map((message) => toRestMessage(message, state));

  const visitor = (idOrOptions?: string | BrevoVisitorInput): BrevoVisitor => {
    const record = state.ensureVisitor(typeof idOrOptions === 'string' ? { id: idOrOptions } : idOrOptions);
    const writeBatch = async (writes: Array<string | BrevoVisitorWrite>) => {
      const items = writes.map((write) => (typeof write === 'string' ? { text: write } : write));
      const messages = await conversations.visitorWrite(record, items);
      return messages.map((message) => toRestMessage(message, state));
    };
    return {
      id: record.id,
      conversationId: record.conversationId,
      async write(text, writeOptions = {}) {
        const [message] = await writeBatch([{ text, ...writeOptions }]);
        return message!;
      },
      writeBatch,
      finish: () => conversations.finish(record),
      messages: () => rest(record.id),
    };
  };

  return {
    url: `http://127.0.0.1:${port}/v3`,
    apiKey,
    faults,
    agents: {
      add: (input) => state.addAgent(input),
      list: () => state.agents(),
      get: (id) => state.agent(id),
      isOnline: (id) => {
        const agent = state.agent(id);
        return agent !== undefined && state.isOnline(agent);
      },
    },
    webhooks: {
      get deliveries() {
        return sender.deliveries;
      },
      setDelivery: sender.setDelivery,
      pause: sender.pause,
      resume: sender.resume,
      redeliver: sender.redeliver,
      idle: sender.idle,
    },
    setWebhook: (url, secret) => sender.configure(url, secret),
    visitor,
    messages: rest,
    async close() {
      sender.close();
      await close();
    },
  };
}
