import type { ChatEvent, Participant, WebhookResult } from '@switchboard/core';
import { brevoIdProblem } from './brevo-ids.js';
import type { BrevoRecords, StoredConversation } from './brevo-records.js';
import {
  BREVO_WEBHOOK_EVENTS,
  type BrevoWebhook,
  brevoAgentSchema,
  brevoMessageSchema,
  brevoWebhookSchema,
} from './brevo-schemas.js';
import { hasWebhookSecret } from './brevo-webhook-secret.js';
import { mapBrevoConversation, mergeParticipants } from './map-brevo-conversation.js';
import {
  type BrevoSelf,
  isOwnEcho,
  mapBrevoMessage,
  toStoredMessage,
  visitorParticipant,
} from './map-brevo-message.js';

/** What the webhook handler needs from the adapter. */
export interface BrevoWebhookHandlerOptions {
  records: BrevoRecords;
  /** The shared secret expected as `?token=`. */
  secret: string;
  self(): BrevoSelf;
  selfParticipant(): Participant;
  /** Told about failures answered with 500 (a store error) and about ids refused at ingestion. */
  onError(error: unknown): void;
  /** Largest body read, in bytes; a longer one is answered 413 without being read further. */
  maxBodyBytes: number;
}

/** Default of `webhookMaxBodyBytes`: 2 MiB, room for a long chat's transcript. */
export const DEFAULT_BREVO_WEBHOOK_MAX_BODY_BYTES = 2 * 1024 * 1024;

/** `true` for `application/json` and `application/*+json`, whatever the parameters. */
function isJson(contentType: string | null): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** Reads at most `max` bytes of the body: the text, or `undefined` when it is longer (reading stops there). */
async function readCapped(request: Request, max: number): Promise<string | undefined> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > max) return undefined;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const answer = (status: number, events: ChatEvent[] = []): WebhookResult => ({ status, events });

/**
 * Creates `handleWebhook`: verifies the secret (401, nothing read or recorded, otherwise), requires
 * a JSON content type (415) and a body of at most `maxBodyBytes` (413, read no further), parses the
 * delivery (400 when it is not a Conversations webhook; 200 and ignored for event names we do not
 * know), refuses a visitor id the API could not take (422, reported to `onError`; see
 * `brevoIdProblem`), records the conversation and its new messages, and returns the events to emit:
 * `conversation.created` for a visitor seen for the first time, `message.created` for each message
 * not delivered before (sorted by `createdAt`; our own echoes — our `receivedFrom` and our agent —
 * are recorded but not emitted; deleted messages, which left a tombstone, are skipped), and
 * `conversation.updated` (`'closed'`) for a transcript.
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
        if (!parsed.success) return [];
        // One id rule: a message id the API would refuse is not recorded (the others are).
        const problem = brevoIdProblem(parsed.data.id, 'messages.id');
        if (problem) {
          options.onError(problem);
          return [];
        }
        return [parsed.data];
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
        raw: {
          conversationId: webhook.conversationId,
          visitor: webhook.visitor,
          conversationStartPage:
            ('conversationStartPage' in webhook ? webhook.conversationStartPage : undefined) ??
            (conversation.raw as { conversationStartPage?: unknown } | undefined)?.conversationStartPage,
        },
      }),
    );

    const events: ChatEvent[] = [];
    for (const message of messages) {
      // Deleted (we left a tombstone): a redelivery must not bring it back.
      if (await records.isDeleted(message.id)) continue;
      const stored = toStoredMessage(message, { visitorId, visitor, self });
      if (isOwnEcho(message, self)) {
        // Our own echo: `sendMessage` records and reports it; keep it only if that call never returned.
        if (!(await records.getMessage(message.id))) await records.putMessage(stored);
        continue;
      }
      // Stored and marked delivered in one atomic step: a crash leaves neither, so Brevo's redelivery
      // (to this or another instance) is processed; a duplicate delivery writes nothing, and neither
      // does a deleted message (its tombstone is a condition of the same commit).
      if (!(await records.putMessageOnce(stored))) continue;
      events.push({
        type: 'message.created',
        provider: 'brevo',
        conversationId: visitorId,
        message: mapBrevoMessage(stored),
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
    const conversation = mapBrevoConversation(current, options.selfParticipant());
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
    if (!isJson(request.headers.get('content-type'))) return answer(415);
    let body: unknown;
    try {
      const text = await readCapped(request, options.maxBodyBytes);
      if (text === undefined) return answer(413);
      body = JSON.parse(text);
    } catch {
      return answer(400);
    }
    const eventName = (body as { eventName?: unknown } | null)?.eventName;
    if (typeof eventName !== 'string') return answer(400);
    if (!BREVO_WEBHOOK_EVENTS.has(eventName)) return answer(200);
    const parsed = brevoWebhookSchema.safeParse(body);
    if (!parsed.success) return answer(400);
    // One id rule: a visitor id the API would refuse (getConversation, messages, send) is refused here.
    const problem = brevoIdProblem(parsed.data.visitor.id, 'visitor.id');
    if (problem) {
      options.onError(problem);
      return answer(422);
    }
    try {
      return answer(200, await ingest(parsed.data));
    } catch (error) {
      options.onError(error);
      return answer(500);
    }
  };
}
