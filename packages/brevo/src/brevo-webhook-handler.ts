import type { ChatEvent, Participant, WebhookResult } from '@switchboard/core';
import type { BrevoRecords, StoredConversation } from './brevo-records.js';
import {
  BREVO_WEBHOOK_EVENTS,
  type BrevoWebhook,
  brevoAgentSchema,
  brevoMessageSchema,
  brevoWebhookSchema,
} from './brevo-schemas.js';
import { hasWebhookSecret } from './brevo-webhook-secret.js';
import { mergeParticipants, toConversation } from './map-brevo-conversation.js';
import { type BrevoSelf, toMessage, toStoredMessage, visitorParticipant } from './map-brevo-message.js';

/** What the webhook handler needs from the adapter. */
export interface BrevoWebhookHandlerOptions {
  records: BrevoRecords;
  /** The shared secret expected as `?token=`. */
  secret: string;
  self(): BrevoSelf;
  selfParticipant(): Participant;
  /** Told about failures answered with 500 (a store error). */
  onError(error: unknown): void;
}

const answer = (status: number, events: ChatEvent[] = []): WebhookResult => ({ status, events });

/**
 * Creates `handleWebhook`: verifies the secret (401, nothing read or recorded, otherwise), parses
 * the delivery (400 when it is not a Conversations webhook; 200 and ignored for event names we do
 * not know), records the conversation and its new messages, and returns the events to emit:
 * `conversation.created` for a visitor seen for the first time, `message.created` for each message
 * not delivered before (sorted by `createdAt`; our own echoes, marked with our `receivedFrom`, are
 * recorded but not emitted), and `conversation.updated` (`'closed'`) for a transcript.
 * A store failure answers 500, so that Brevo's redelivery is processed again.
 */
export function createBrevoWebhookHandler(options: BrevoWebhookHandlerOptions) {
  const { records } = options;

  const agentsOf = (webhook: BrevoWebhook): Participant[] => {
    const raw = webhook.eventName === 'conversationStarted' ? [webhook.agent] : (webhook.agents ?? []);
    const selfId = options.self().agentId;
    return raw.flatMap((item) => {
      const parsed = brevoAgentSchema.safeParse(item);
      if (!parsed.success) return [];
      const agent = parsed.data;
      const participant: Participant = { id: agent.id, kind: 'agent', isSelf: agent.id === selfId };
      if (agent.name) participant.displayName = agent.name;
      if (agent.email) participant.handle = agent.email;
      if (agent.userpic) participant.avatarUrl = agent.userpic;
      return [participant];
    });
  };

  const messagesOf = (webhook: BrevoWebhook) => {
    const raw = webhook.eventName === 'conversationStarted' ? [webhook.message] : webhook.messages;
    return raw
      .flatMap((item) => {
        const parsed = brevoMessageSchema.safeParse(item);
        return parsed.success ? [parsed.data] : [];
      })
      .sort((a, b) => a.createdAt - b.createdAt);
  };

  const ingest = async (webhook: BrevoWebhook): Promise<ChatEvent[]> => {
    const self = options.self();
    const visitorId = webhook.visitor.id;
    const visitor = visitorParticipant(visitorId, webhook.visitor.displayedName);
    const messages = messagesOf(webhook);
    const startedAt = messages[0]?.createdAt ?? Date.now();
    const { created } = await records.upsertConversation(
      visitorId,
      () => ({ visitorId, visitor, agents: [], createdAt: startedAt, updatedAt: startedAt }),
      (conversation) => ({
        ...conversation,
        brevoConversationId: webhook.conversationId,
        visitor,
        agents: mergeParticipants(conversation.agents, agentsOf(webhook)),
        raw: { visitor: webhook.visitor, conversationStartPage: webhook.conversationStartPage },
      }),
    );

    const events: ChatEvent[] = [];
    for (const message of messages) {
      const stored = toStoredMessage(message, { visitorId, visitor, self });
      if (message.receivedFrom != null && message.receivedFrom === self.receivedFrom) {
        // Our own echo: `sendMessage` records and reports it; keep it only if that call never returned.
        if (!(await records.getMessage(message.id))) await records.putMessage(stored);
        continue;
      }
      // Stored and marked delivered in one atomic step: a crash leaves neither, so Brevo's redelivery
      // (to this or another instance) is processed; a duplicate delivery writes nothing.
      if (!(await records.putMessageOnce(stored))) continue;
      events.push({
        type: 'message.created',
        provider: 'brevo',
        conversationId: visitorId,
        message: toMessage(stored),
        raw: webhook,
      });
    }

    const transcript = webhook.eventName === 'conversationTranscript';
    let closed = false;
    const current = await records.updateConversation(visitorId, (conversation): StoredConversation => {
      if (transcript && !conversation.closed) {
        closed = true;
        return { ...conversation, closed: true };
      }
      // A new message after a transcript starts a new chat with the same visitor.
      if (!transcript && events.length > 0 && conversation.closed) return { ...conversation, closed: false };
      return conversation;
    });
    if (!current) return events;
    const conversation = toConversation(current, options.selfParticipant());
    if (created)
      events.unshift({
        type: 'conversation.created',
        provider: 'brevo',
        conversationId: visitorId,
        conversation,
        raw: webhook,
      });
    if (closed) {
      events.push({
        type: 'conversation.updated',
        provider: 'brevo',
        conversationId: visitorId,
        change: 'closed',
        conversation,
        raw: webhook,
      });
    }
    return events;
  };

  return async function handleWebhook(request: Request): Promise<WebhookResult> {
    if (request.method !== 'POST') return answer(405);
    if (!hasWebhookSecret(request.url, options.secret)) return answer(401);
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return answer(400);
    }
    const eventName = (body as { eventName?: unknown } | null)?.eventName;
    if (typeof eventName !== 'string') return answer(400);
    if (!BREVO_WEBHOOK_EVENTS.has(eventName)) return answer(200);
    const parsed = brevoWebhookSchema.safeParse(body);
    if (!parsed.success) return answer(400);
    try {
      return answer(200, await ingest(parsed.data));
    } catch (error) {
      options.onError(error);
      return answer(500);
    }
  };
}
