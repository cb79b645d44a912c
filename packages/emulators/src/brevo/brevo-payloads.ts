import type {
  BrevoAgentRecord,
  BrevoFileInput,
  BrevoMessageRecord,
  BrevoState,
  BrevoVisitorRecord,
} from './brevo-state.js';

/** A message as the REST API returns it (`ConversationsMessage`). */
export interface BrevoRestMessage {
  id: string;
  type: 'agent' | 'visitor';
  text: string;
  html: string;
  visitorId: string;
  /** Epoch ms. */
  createdAt: number;
  agentId?: string;
  agentName?: string;
  agentUserpic?: string;
  isPushed?: true;
  receivedFrom?: string;
  file?: {
    filename: string;
    size: number;
    isImage: boolean;
    url: string;
    imageInfo?: { width: number; height: number; previewUrl: string };
  };
  attachments?: BrevoAttachment[];
}

/** One `attachments[]` item, in the shape of Brevo's current docs. */
export interface BrevoAttachment {
  name: string;
  link: string;
  mimeType: string;
  size: number;
  isImage: boolean;
  isSticker: boolean;
  isInline: boolean;
  imageInfo?: { width: number; height: number; previewLink: string };
}

/** A message as webhooks carry it (differs from REST: `file.name`/`file.link`). */
export interface BrevoWebhookMessage {
  type: 'agent' | 'visitor';
  id: string;
  text: string;
  html: string;
  /** Epoch ms. */
  createdAt: number;
  agentId?: string;
  agentName?: string;
  agentUserpic?: string | null;
  isPushed?: true;
  isMissed?: true;
  receivedFrom?: string;
  file?: {
    name: string;
    size: number;
    isAllowedFileType: boolean;
    isImage: boolean;
    isSticker: boolean;
    link: string;
    mimeType?: string;
    imageInfo?: { width: number; height: number; previewUrl: string };
  };
  attachments?: BrevoAttachment[];
}

/** The `agents[]` / `agent` object of webhooks. */
export interface BrevoWebhookAgent {
  id: string;
  name: string;
  email: string;
  userpic: string | null;
}

/** The `visitor` object of webhooks. */
export interface BrevoWebhookVisitor {
  id: string;
  threadId: string;
  threadLink: string;
  source: string;
  sourceChannelRef: string | null;
  sourceChannelLink: string | null;
  sourceConversationRef: string | null;
  groupId: string | null;
  color: string;
  ip: string | null;
  browserLanguage: string;
  conversationLanguage: string;
  browser: string;
  os: string;
  userAgent: string;
  country: string;
  city: string;
  lastVisit: {
    startedAt: number;
    finishedAt: number | null;
    hostName: string;
    viewedPages: { link: string; title: string }[];
  } | null;
  displayedName: string;
  contactAttributes: Record<string, unknown> | null;
  integrationAttributes: Record<string, unknown> | null;
  attributes: Record<string, unknown>;
  formattedAttributes: Record<string, unknown> | null;
  notes: string | null;
  contactId: number | null;
  marketingConsent: boolean;
  termsOfServiceConsent: boolean;
}

/** `conversationStarted`: the first message of a chat, from a visitor or an agent. */
export interface BrevoConversationStarted {
  eventName: 'conversationStarted';
  conversationId: string;
  conversationStartPage?: { link: string; title: string };
  message: BrevoWebhookMessage;
  /** Present when an agent started the chat. */
  agent?: BrevoWebhookAgent;
  visitor: BrevoWebhookVisitor;
  isNoAvailableAgent: boolean;
}

/** `conversationFragment`: new messages of an ongoing conversation. */
export interface BrevoConversationFragment {
  eventName: 'conversationFragment';
  conversationId: string;
  messages: BrevoWebhookMessage[];
  agents: BrevoWebhookAgent[];
  visitor: BrevoWebhookVisitor;
  isNoAvailableAgent: boolean;
}

/** `conversationTranscript`: the whole conversation once a chat has finished. */
export interface BrevoConversationTranscript {
  eventName: 'conversationTranscript';
  conversationId: string;
  conversationStartPage?: { link: string; title: string };
  messages: BrevoWebhookMessage[];
  missedMessagesCount: number;
  agents: BrevoWebhookAgent[];
  visitor: BrevoWebhookVisitor;
}

/** Any webhook body the emulator sends. */
export type BrevoWebhookEvent =
  | BrevoConversationStarted
  | BrevoConversationFragment
  | BrevoConversationTranscript;

/** The webhook event names, as selected in Brevo's webhook settings. */
export type BrevoWebhookEventName = BrevoWebhookEvent['eventName'];

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);

const attachment = (file: BrevoFileInput): BrevoAttachment => ({
  name: file.name,
  link: file.url,
  mimeType: file.mimeType ?? 'application/octet-stream',
  size: file.size ?? 0,
  isImage: file.image !== undefined,
  isSticker: false,
  isInline: false,
  ...(file.image && {
    imageInfo: { width: file.image.width, height: file.image.height, previewLink: previewUrl(file) },
  }),
});

const previewUrl = (file: BrevoFileInput) => file.image?.previewUrl ?? `${file.url}-/preview/800x800/`;

/** `imageInfo` of a message's `file` object (REST and webhooks alike), for an image file only. */
const imageInfo = (file: BrevoFileInput) =>
  file.image && {
    imageInfo: { width: file.image.width, height: file.image.height, previewUrl: previewUrl(file) },
  };

/** Renders a stored message as the REST API returns it. */
export function toRestMessage(message: BrevoMessageRecord, state: BrevoState): BrevoRestMessage {
  const userpic = message.agentId === undefined ? undefined : state.agent(message.agentId)?.userpic;
  const { file } = message;
  return {
    id: message.id,
    type: message.type,
    text: message.text,
    html: escapeHtml(message.text),
    visitorId: message.visitorId,
    createdAt: message.createdAt,
    ...(message.agentId !== undefined && { agentId: message.agentId, agentName: message.agentName }),
    ...(userpic && { agentUserpic: userpic }),
    ...(message.isPushed && { isPushed: true as const }),
    ...(message.receivedFrom !== undefined && { receivedFrom: message.receivedFrom }),
    ...(file && message.fileShape === 'attachments' && { attachments: [attachment(file)] }),
    ...(file &&
      message.fileShape === 'file' && {
        file: {
          filename: file.name,
          size: file.size ?? 0,
          isImage: file.image !== undefined,
          url: file.url,
          ...imageInfo(file),
        },
      }),
  };
}

/** Renders a stored message as webhooks carry it. */
export function toWebhookMessage(message: BrevoMessageRecord, state: BrevoState): BrevoWebhookMessage {
  const { file } = message;
  return {
    type: message.type,
    id: message.id,
    text: message.text,
    html: escapeHtml(message.text),
    createdAt: message.createdAt,
    ...(message.agentId !== undefined && {
      agentId: message.agentId,
      agentName: message.agentName,
      agentUserpic: state.agent(message.agentId)?.userpic ?? null,
    }),
    ...(message.isPushed && { isPushed: true as const }),
    ...(message.isMissed && { isMissed: true as const }),
    ...(message.receivedFrom !== undefined && { receivedFrom: message.receivedFrom }),
    ...(file && message.fileShape === 'attachments' && { attachments: [attachment(file)] }),
    ...(file &&
      message.fileShape === 'file' && {
        file: {
          name: file.name,
          size: file.size ?? 0,
          isAllowedFileType: true,
          isImage: file.image !== undefined,
          isSticker: false,
          link: file.url,
          ...(file.mimeType !== undefined && { mimeType: file.mimeType }),
          ...imageInfo(file),
        },
      }),
  };
}

/** Renders an agent as webhooks carry it. */
export function toWebhookAgent(agent: BrevoAgentRecord): BrevoWebhookAgent {
  return { id: agent.id, name: agent.name, email: agent.email, userpic: agent.userpic };
}

/** Renders a visitor as webhooks carry it (fixed, plausible browser details). */
export function toWebhookVisitor(visitor: BrevoVisitorRecord): BrevoWebhookVisitor {
  return {
    id: visitor.id,
    threadId: visitor.threadId,
    threadLink: `https://conversations-app.brevo.com/thread/${visitor.threadId}`,
    source: visitor.source,
    sourceChannelRef: null,
    sourceChannelLink: null,
    sourceConversationRef: null,
    groupId: null,
    color: '#ff8800',
    ip: null,
    browserLanguage: 'en',
    conversationLanguage: 'en',
    browser: 'Chrome',
    os: 'macOS',
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 Chrome/126.0 Safari/537.36',
    country: 'FR',
    city: 'Paris',
    lastVisit: null,
    displayedName: visitor.displayedName,
    contactAttributes: null,
    integrationAttributes: null,
    attributes: visitor.attributes,
    formattedAttributes: null,
    notes: null,
    contactId: null,
    marketingConsent: false,
    termsOfServiceConsent: true,
  };
}

/** The agents who wrote in a visitor's conversation, in order of their first message. */
export function conversationAgents(visitor: BrevoVisitorRecord, state: BrevoState): BrevoWebhookAgent[] {
  return [...visitor.agentIds].flatMap((id) => {
    const agent = state.agent(id);
    return agent ? [toWebhookAgent(agent)] : [];
  });
}
