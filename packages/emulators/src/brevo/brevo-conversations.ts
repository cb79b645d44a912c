import {
  type BrevoWebhookEvent,
  conversationAgents,
  toWebhookAgent,
  toWebhookMessage,
  toWebhookVisitor,
} from './brevo-payloads.js';
import type {
  BrevoAgentRecord,
  BrevoFileInput,
  BrevoFileShape,
  BrevoMessageRecord,
  BrevoState,
  BrevoVisitorRecord,
} from './brevo-state.js';

/** An error the API answers with: HTTP status and Brevo's `{ code, message }` body. */
export class BrevoApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BrevoApiError';
  }
}

/** One visitor message to write. */
export interface BrevoVisitorWrite {
  text: string;
  file?: BrevoFileInput;
  /** How the file is rendered (default `'file'`). */
  fileShape?: BrevoFileShape;
}

type Body = Record<string, unknown>;

const missing = (field: string) => new BrevoApiError(400, 'missing_parameter', `${field} is missing`);

function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new BrevoApiError(400, 'invalid_parameter', `${field} should be a string`);
  return value;
}

function requiredString(body: Body, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined || value === '') throw missing(field);
  return value;
}

/**
 * Brevo's behaviour: what each endpoint and each visitor action does to the account, and which
 * webhooks it triggers. Webhook delivery happens after the REST answer (as in production); visitor
 * actions resolve once their webhooks were delivered.
 */
export function createBrevoConversations(
  state: BrevoState,
  send: (event: BrevoWebhookEvent) => Promise<void>,
) {
  /** Resolves the agent of `POST /conversations/messages` and `agentOnlinePing` bodies. */
  const identifyAgent = (body: Body): { agent: BrevoAgentRecord; name: string } => {
    const agentId = optionalString(body, 'agentId');
    if (agentId !== undefined) {
      const agent = state.agent(agentId);
      if (!agent) throw new BrevoApiError(400, 'invalid_parameter', 'Agent not found');
      return { agent, name: agent.name };
    }
    const email = optionalString(body, 'agentEmail');
    const name = optionalString(body, 'agentName');
    const receivedFrom = optionalString(body, 'receivedFrom');
    if (!email || !name || !receivedFrom) {
      throw new BrevoApiError(
        400,
        'missing_parameter',
        'Either agentId, or all of agentEmail, agentName and receivedFrom, are required',
      );
    }
    return { agent: state.ensureAgentByEmail(email, name), name };
  };

  const fragment = (visitor: BrevoVisitorRecord, messages: BrevoMessageRecord[]): BrevoWebhookEvent => ({
    eventName: 'conversationFragment',
    conversationId: visitor.conversationId,
    messages: messages.map((message) => toWebhookMessage(message, state)),
    agents: conversationAgents(visitor, state),
    visitor: toWebhookVisitor(visitor),
    isNoAvailableAgent: !state.anyAgentOnline(),
  });

  const startPage = (visitor: BrevoVisitorRecord) =>
    visitor.source === 'widget' ? { conversationStartPage: visitor.startPage } : {};

  /** `conversationStarted` for the first message of a chat, then one fragment with the rest. */
  const announce = (visitor: BrevoVisitorRecord, messages: BrevoMessageRecord[]): BrevoWebhookEvent[] => {
    const events: BrevoWebhookEvent[] = [];
    let rest = messages;
    const first = messages[0];
    if (!visitor.chatActive && first && !first.isPushed) {
      visitor.chatActive = true;
      const agent = first.agentId === undefined ? undefined : state.agent(first.agentId);
      events.push({
        eventName: 'conversationStarted',
        conversationId: visitor.conversationId,
        ...startPage(visitor),
        message: toWebhookMessage(first, state),
        ...(agent && { agent: toWebhookAgent(agent) }),
        visitor: toWebhookVisitor(visitor),
        isNoAvailableAgent: !state.anyAgentOnline(),
      });
      rest = messages.slice(1);
    }
    if (rest.length > 0) events.push(fragment(visitor, rest));
    return events;
  };

  const deliver = async (events: BrevoWebhookEvent[]) => {
    for (const event of events) await send(event);
  };

  const findMessage = (id: string, pushed: boolean | undefined) => {
    const message = state.message(id);
    if (!message || (pushed !== undefined && message.isPushed !== pushed)) {
      throw new BrevoApiError(404, 'document_not_found', 'Message not found');
    }
    return message;
  };

  const findAgentMessage = (id: string, pushed: boolean, action: 'edited' | 'deleted') => {
    const message = findMessage(id, pushed);
    if (message.type !== 'agent') {
      throw new BrevoApiError(400, 'invalid_parameter', `Only agents' messages can be ${action}`);
    }
    return message;
  };

  /** Stores an agent's message to a visitor (created if new); returns it and the webhooks to send after answering. */
  const sendFromAgent = (
    fields: Pick<
      BrevoMessageRecord,
      'text' | 'visitorId' | 'agentId' | 'agentName' | 'isPushed' | 'receivedFrom'
    >,
  ) => {
    const visitor = state.ensureVisitor({ id: fields.visitorId });
    const message = state.addMessage({ type: 'agent', ...fields, fileShape: 'file', isMissed: false });
    return { message, webhooks: () => deliver(announce(visitor, [message])) };
  };

  return {
    /** `POST /conversations/messages`. Returns the message and the webhooks to send after answering. */
    sendAsAgent(body: Body) {
      const visitorId = requiredString(body, 'visitorId');
      const text = requiredString(body, 'text');
      const { agent, name } = identifyAgent(body);
      const receivedFrom = optionalString(body, 'receivedFrom');
      return sendFromAgent({
        text,
        visitorId,
        agentId: agent.id,
        agentName: name,
        isPushed: false,
        ...(receivedFrom !== undefined && { receivedFrom }),
      });
    },

    /** `POST /conversations/pushedMessages`: on behalf of `agentId`, a random agent of `groupId`, or any agent. */
    sendPushed(body: Body) {
      const visitorId = requiredString(body, 'visitorId');
      const text = requiredString(body, 'text');
      const agentId = optionalString(body, 'agentId');
      const groupId = optionalString(body, 'groupId');
      const candidates = state
        .agents()
        .filter(
          (agent) =>
            (agentId === undefined || agent.id === agentId) &&
            (groupId === undefined || agent.groupId === groupId),
        )
        .sort((a, b) => Number(state.isOnline(b)) - Number(state.isOnline(a)));
      const agent = candidates[0];
      if (!agent) {
        const what = agentId !== undefined ? 'Agent' : groupId !== undefined ? 'Group' : 'Available agent';
        throw new BrevoApiError(400, 'invalid_parameter', `${what} not found`);
      }
      return sendFromAgent({ text, visitorId, agentId: agent.id, agentName: agent.name, isPushed: true });
    },

    /** `GET /conversations/messages/{id}` (any message) or `/pushedMessages/{id}` (`pushed: true`). */
    getMessage(id: string, pushed?: true) {
      return findMessage(id, pushed);
    },

    /** `PUT /conversations/messages/{id}` or `/pushedMessages/{id}`. */
    updateMessage(id: string, body: Body, pushed: boolean) {
      const text = requiredString(body, 'text');
      const message = findAgentMessage(id, pushed, 'edited');
      message.text = text;
      return message;
    },

    /** `DELETE /conversations/messages/{id}` or `/pushedMessages/{id}`. */
    deleteMessage(id: string, pushed: boolean) {
      state.deleteMessage(findAgentMessage(id, pushed, 'deleted').id);
    },

    /** `POST /conversations/agentOnlinePing`. */
    ping(body: Body) {
      state.ping(identifyAgent(body).agent);
    },

    /** The visitor writes; resolves once the webhooks were delivered. */
    async visitorWrite(visitor: BrevoVisitorRecord, writes: BrevoVisitorWrite[]) {
      const missed = !state.anyAgentOnline();
      const messages = writes.map((write) =>
        state.addMessage({
          type: 'visitor',
          text: write.text,
          visitorId: visitor.id,
          isPushed: false,
          ...(write.file && { file: write.file }),
          fileShape: write.fileShape ?? 'file',
          isMissed: missed,
        }),
      );
      await deliver(announce(visitor, messages));
      return messages;
    },

    /** The chat ends: `conversationTranscript` with every message. */
    async finish(visitor: BrevoVisitorRecord) {
      visitor.chatActive = false;
      const messages = state.messages(visitor.id);
      await send({
        eventName: 'conversationTranscript',
        conversationId: visitor.conversationId,
        ...startPage(visitor),
        messages: messages.map((message) => toWebhookMessage(message, state)),
        missedMessagesCount: messages.filter((message) => message.isMissed).length,
        agents: conversationAgents(visitor, state),
        visitor: toWebhookVisitor(visitor),
      });
    },
  };
}

/** The service type, for the routes. */
export type BrevoConversations = ReturnType<typeof createBrevoConversations>;
