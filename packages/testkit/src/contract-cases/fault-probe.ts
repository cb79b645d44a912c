import { hasCapability } from '@switchboard/core';
import type { ContractCaseContext } from '../contract-case.js';
import type { Fault } from '../faults/index.js';
import { uniqueText } from './fixtures.js';

/** The call the fault cases make fail: the cheapest read the adapter has, else a send. */
export interface ProbeCall {
  /** The Messenger method, for failures. */
  name: string;
  /** Reads are idempotent (retried on any 5xx); a send only on 503/429. */
  idempotent: boolean;
  call(): Promise<unknown>;
}

/**
 * Picks the probe: the first of history, the conversation list, one conversation, that reaches the
 * provider (an adapter may serve some reads from a local store — Brevo's history comes from its
 * webhooks), else a send. Each candidate runs once without faults, which also gets login, id
 * resolution and caches done before a fault is injected, so the faulted request is the probe's own.
 */
export async function prepareProbe({
  messenger,
  peer,
  capabilities,
  faults,
}: ContractCaseContext): Promise<ProbeCall> {
  const conversationId = await peer.startConversation();
  const reads: ProbeCall[] = [
    ...(hasCapability(capabilities, 'listMessages')
      ? [{ name: 'listMessages', idempotent: true, call: () => messenger.listMessages(conversationId) }]
      : []),
    ...(hasCapability(capabilities, 'listConversations')
      ? [{ name: 'listConversations', idempotent: true, call: () => messenger.listConversations() }]
      : []),
    ...(hasCapability(capabilities, 'getConversation')
      ? [{ name: 'getConversation', idempotent: true, call: () => messenger.getConversation(conversationId) }]
      : []),
  ];
  const send: ProbeCall = {
    name: 'send',
    idempotent: false,
    call: () => messenger.send(conversationId, uniqueText('probe')),
  };
  for (const probe of [...reads, send]) {
    const before = faults?.requestCount ?? 0;
    await probe.call();
    if (!faults || faults.requestCount > before || probe === send) return probe;
  }
  return send;
}

/** The 5xx to inject: 500 for a read, 503 for a send (only 503 says a send was not processed). */
export const serverErrorStatus = (probe: ProbeCall): number => (probe.idempotent ? 500 : 503);

/** What the injected 429s ask for, in ms: whole seconds, as most providers' `Retry-After` says. */
export const RETRY_AFTER_MS = 1_000;

/** A fault in words, for failure messages. */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'status':
      return `HTTP ${fault.status}`;
    case 'rate-limit':
      return `HTTP 429 (retry after ${fault.retryAfterMs} ms)`;
    case 'malformed':
      return 'a malformed 200 body';
    case 'reset':
      return 'a connection reset';
    default:
      return fault.kind;
  }
}
