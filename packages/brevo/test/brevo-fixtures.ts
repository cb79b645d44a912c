/**
 * Brevo payloads for unit tests, shaped as the spec documents them (field names real, values made up).
 */
import { type BrevoAdapter, createBrevoAdapter } from '../src/brevo-adapter.js';
import type { BrevoAdapterOptions } from '../src/brevo-options.js';

export const API = 'https://api.brevo.com';
export const API_KEY = 'xkeysib-test-0123456789abcdef';
export const WEBHOOK_SECRET = 'whsec-test-9f8e7d6c5b4a';
export const AGENT_ID = 'd9nKoegKSjmCtyK78';
export const VISITOR_ID = 'kZMvWhf8npAu3H6qd57w2Hv6nh6rnxvg';
export const CONVERSATION_ID = 'MxhGJAEugdLtS2BBq';

/**
 * An adapter with `API_KEY`, as agent `AGENT_ID`, taking webhooks signed with `WEBHOOK_SECRET`,
 * presence pings off; `options` add to or replace these.
 */
export function testAdapter(options: Partial<BrevoAdapterOptions> = {}): BrevoAdapter {
  return createBrevoAdapter({
    apiKey: API_KEY,
    webhookSecret: WEBHOOK_SECRET,
    agent: { id: AGENT_ID },
    presenceIntervalMs: false,
    ...options,
  });
}

/** A REST `ConversationsMessage` sent by our agent. */
export function restMessage(overrides: Record<string, unknown> = {}) {
  return {
    id: 'eYBEm3gq3zc5ayE2g',
    type: 'agent',
    text: 'Hello! How can I help you?',
    visitorId: VISITOR_ID,
    agentId: AGENT_ID,
    agentName: 'Liz',
    createdAt: 1_717_000_000_000,
    receivedFrom: 'switchboard',
    ...overrides,
  };
}

/** A webhook `visitor` object. */
export function webhookVisitor(overrides: Record<string, unknown> = {}) {
  return {
    id: VISITOR_ID,
    threadId: 'T1a2b3c4d5',
    threadLink: 'https://conversations-app.brevo.com/thread/T1a2b3c4d5',
    source: 'widget',
    color: '#ff8800',
    ip: null,
    browserLanguage: 'en',
    conversationLanguage: 'en',
    browser: 'Chrome',
    os: 'macOS',
    userAgent: 'Mozilla/5.0',
    country: 'FR',
    city: 'Paris',
    displayedName: 'Dark Orange',
    attributes: { EMAIL: 'jane@example.com' },
    marketingConsent: false,
    termsOfServiceConsent: true,
    ...overrides,
  };
}

/** A webhook message from the visitor. */
export function visitorMessage(
  id: string,
  text: string,
  createdAt: number,
  extra: Record<string, unknown> = {},
) {
  return { id, type: 'visitor', text, html: text, createdAt, ...extra };
}

/** A webhook message from an agent. */
export function agentMessage(
  id: string,
  text: string,
  createdAt: number,
  extra: Record<string, unknown> = {},
) {
  return {
    id,
    type: 'agent',
    text,
    html: text,
    createdAt,
    agentId: AGENT_ID,
    agentName: 'Liz',
    agentUserpic: null,
    ...extra,
  };
}

export const liz = { id: AGENT_ID, name: 'Liz', email: 'liz@getwear.com', userpic: null };

export function conversationStarted(message: object, extra: Record<string, unknown> = {}) {
  return {
    eventName: 'conversationStarted',
    conversationId: CONVERSATION_ID,
    conversationStartPage: {
      link: 'https://getwear.com/women/151254/',
      title: 'Washed skinny jeans for women',
    },
    message,
    visitor: webhookVisitor(),
    isNoAvailableAgent: false,
    ...extra,
  };
}

/** A `conversationFragment` webhook body carrying `messages`, from Liz's chat with the visitor. */
export function conversationFragment(messages: object[], extra: Record<string, unknown> = {}) {
  return { eventName: 'conversationFragment', ...messagesEvent(messages), ...extra };
}

/** A `conversationTranscript` webhook body carrying `messages` (none missed), from the same chat. */
export function conversationTranscript(messages: object[], extra: Record<string, unknown> = {}) {
  return {
    eventName: 'conversationTranscript',
    ...messagesEvent(messages),
    missedMessagesCount: 0,
    ...extra,
  };
}

/** The fields a fragment and a transcript share. */
function messagesEvent(messages: object[]) {
  return { conversationId: CONVERSATION_ID, messages, agents: [liz], visitor: webhookVisitor() };
}

/** A webhook delivery as Brevo makes it: POST of JSON to the configured URL (`token: null`: none in the URL). */
export function webhookRequest(body: unknown, token: string | null = WEBHOOK_SECRET, method = 'POST') {
  const url = new URL('https://app.example.com/webhooks/brevo');
  if (token !== null) url.searchParams.set('token', token);
  return new Request(url, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(method === 'POST' && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}
