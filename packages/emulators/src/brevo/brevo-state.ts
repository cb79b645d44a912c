import { createBrevoIdGenerator } from './brevo-ids.js';

/** How long one agent online ping keeps the agent online, in ms ("2-3 minutes"). */
export const AGENT_ONLINE_MS = 150_000;

/** An agent of the emulated Brevo account. */
export interface BrevoAgentRecord {
  id: string;
  name: string;
  email: string;
  /** Profile picture URL, `null` when none was uploaded. */
  userpic: string | null;
  /** The agent group the agent belongs to (for pushed messages sent with `groupId`). */
  groupId: string | null;
  /** Created by Brevo for an unknown `agentEmail` ("a dummy agent will be created automatically"). */
  dummy: boolean;
  /** Epoch ms until which the agent counts as online (0: never pinged). */
  onlineUntil: number;
  /** How many `agentOnlinePing` calls named this agent. */
  pingCount: number;
}

/** A file a visitor attaches, as given to `visitor.write(text, { file })`. */
export interface BrevoFileInput {
  name: string;
  url: string;
  /** Size in bytes (default 0). */
  size?: number;
  mimeType?: string;
  /** Image dimensions in pixels; present for images. */
  image?: { width: number; height: number; previewUrl?: string };
}

/**
 * How a message's file is rendered: `'file'` as the `file` object (REST `{ filename, url, size,
 * isImage, imageInfo }`, webhooks `{ name, link, size, isAllowedFileType, isImage, isSticker,
 * imageInfo }`), or `'attachments'` as the newer `attachments[]` array (`{ name, link, mimeType,
 * size, isImage, isSticker }`) in both.
 */
export type BrevoFileShape = 'file' | 'attachments';

/** A visitor: the other side of a Brevo conversation (a website/channel visitor). */
export interface BrevoVisitorRecord {
  /** `visitorId`: what `POST /conversations/messages` takes. */
  id: string;
  /** The webhooks' `conversationId` (one continuous conversation per visitor). */
  conversationId: string;
  threadId: string;
  displayedName: string;
  /** Channel: `widget`, `facebook`, `whatsapp`, `email`… */
  source: string;
  attributes: Record<string, unknown>;
  startPage: { link: string; title: string };
  /** `true` between the first message of a chat and its transcript. */
  chatActive: boolean;
  /** Agents who wrote in this conversation, in order of their first message (the webhooks' `agents`). */
  agentIds: Set<string>;
}

/** Options for a new visitor. */
export interface BrevoVisitorInput {
  id?: string;
  displayedName?: string;
  source?: string;
  attributes?: Record<string, unknown>;
  startPage?: { link: string; title: string };
}

/** A stored message. */
export interface BrevoMessageRecord {
  id: string;
  type: 'agent' | 'visitor';
  text: string;
  visitorId: string;
  /** Epoch ms, strictly increasing across the emulator. */
  createdAt: number;
  agentId?: string;
  agentName?: string;
  isPushed: boolean;
  receivedFrom?: string;
  file?: BrevoFileInput;
  fileShape: BrevoFileShape;
  /** A visitor message written while no agent was online. */
  isMissed: boolean;
}

/** What a new message needs; the state assigns `id` and `createdAt`. */
export type BrevoMessageInput = Omit<BrevoMessageRecord, 'id' | 'createdAt'>;

/** Options of {@link createBrevoState}. */
export interface BrevoStateOptions {
  /** Seed of the id generator. */
  seed?: number;
  /** Clock in epoch ms. */
  now?: () => number;
}

/** The emulated account: agents, visitors and messages. Pure data, no HTTP. */
export type BrevoState = ReturnType<typeof createBrevoState>;

/** Creates an empty account. */
export function createBrevoState(options: BrevoStateOptions = {}) {
  const ids = createBrevoIdGenerator(options.seed);
  const now = options.now ?? Date.now;
  const agents = new Map<string, BrevoAgentRecord>();
  const visitors = new Map<string, BrevoVisitorRecord>();
  const messages = new Map<string, BrevoMessageRecord>();
  /** Messages by visitor, oldest first: a conversation's messages without scanning the account. */
  const messagesByVisitor = new Map<string, Map<string, BrevoMessageRecord>>();
  let lastCreatedAt = 0;

  const addAgent = (input: {
    id?: string;
    name: string;
    email: string;
    userpic?: string | null;
    groupId?: string | null;
    dummy?: boolean;
  }): BrevoAgentRecord => {
    const agent: BrevoAgentRecord = {
      id: input.id ?? ids.next(),
      name: input.name,
      email: input.email,
      userpic: input.userpic ?? null,
      groupId: input.groupId ?? null,
      dummy: input.dummy ?? false,
      onlineUntil: 0,
      pingCount: 0,
    };
    agents.set(agent.id, agent);
    return agent;
  };

  return {
    now,
    addAgent,
    agent: (id: string) => agents.get(id),
    agents: () => [...agents.values()],
    agentByEmail: (email: string) => [...agents.values()].find((agent) => agent.email === email),
    /** The agent with this email, or a new dummy agent. */
    ensureAgentByEmail(email: string, name: string): BrevoAgentRecord {
      return this.agentByEmail(email) ?? addAgent({ email, name, dummy: true });
    },
    ping(agent: BrevoAgentRecord) {
      agent.onlineUntil = now() + AGENT_ONLINE_MS;
      agent.pingCount += 1;
    },
    isOnline: (agent: BrevoAgentRecord) => agent.onlineUntil > now(),
    anyAgentOnline: () => [...agents.values()].some((agent) => agent.onlineUntil > now()),

    visitor: (id: string) => visitors.get(id),
    visitors: () => [...visitors.values()],
    /** The visitor with `input.id`, or a new one. */
    ensureVisitor(input: BrevoVisitorInput = {}): BrevoVisitorRecord {
      const existing = input.id === undefined ? undefined : visitors.get(input.id);
      if (existing) return existing;
      const number = visitors.size + 1;
      const visitor: BrevoVisitorRecord = {
        id: input.id ?? ids.next(32),
        conversationId: ids.next(),
        threadId: ids.next(),
        displayedName: input.displayedName ?? `Visitor ${number}`,
        source: input.source ?? 'widget',
        attributes: input.attributes ?? {},
        startPage: input.startPage ?? { link: 'https://shop.example.com/', title: 'Example shop' },
        chatActive: false,
        agentIds: new Set(),
      };
      visitors.set(visitor.id, visitor);
      return visitor;
    },

    addMessage(input: BrevoMessageInput): BrevoMessageRecord {
      lastCreatedAt = Math.max(now(), lastCreatedAt + 1);
      const message: BrevoMessageRecord = { ...input, id: ids.next(), createdAt: lastCreatedAt };
      messages.set(message.id, message);
      const ofVisitor = messagesByVisitor.get(message.visitorId) ?? new Map<string, BrevoMessageRecord>();
      messagesByVisitor.set(message.visitorId, ofVisitor);
      ofVisitor.set(message.id, message);
      if (message.agentId !== undefined) visitors.get(message.visitorId)?.agentIds.add(message.agentId);
      return message;
    },
    message: (id: string) => messages.get(id),
    deleteMessage(id: string) {
      const message = messages.get(id);
      if (message) messagesByVisitor.get(message.visitorId)?.delete(id);
      return messages.delete(id);
    },
    /** Messages of one visitor (or all), oldest first. */
    messages: (visitorId?: string) =>
      visitorId === undefined
        ? [...messages.values()]
        : [...(messagesByVisitor.get(visitorId)?.values() ?? [])],
  };
}
