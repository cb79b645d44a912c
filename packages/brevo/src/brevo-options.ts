import { InvalidRequestError, type StateStore } from '@switchboard/core';
import type { HttpClientOptions, RetryOptions } from '@switchboard/core/http';

/**
 * Who the adapter sends as: an existing agent by id, or (for standalone systems) an agent by email
 * and display name; Brevo creates a dummy agent for an email it does not know.
 */
export type BrevoAgentIdentity = { id: string } | { email: string; name: string };

/** Options of `createBrevoAdapter`. */
export interface BrevoAdapterOptions {
  /** Brevo API key (`api-key` header). Default: `process.env.BREVO_API_KEY`. */
  apiKey?: string;
  /** The agent we send as and keep online. */
  agent: BrevoAgentIdentity;
  /**
   * Marker sent as `receivedFrom` with every agent message, so that their webhook echoes are
   * recognised and not reported twice. Default `'switchboard'`.
   */
  receivedFrom?: string;
  /**
   * Shared secret every webhook delivery must carry as `?token=<secret>` in its URL.
   * Default: `process.env.BREVO_WEBHOOK_SECRET`.
   */
  webhookSecret?: string;
  /**
   * Where conversations, messages and webhook dedupe keys are recorded (Brevo has no list or
   * history endpoints). Default: in memory (`createMemoryStateStore()`); use a shared store when
   * several processes receive webhooks.
   */
  store?: StateStore;
  /** Default `https://api.brevo.com/v3`. */
  baseUrl?: string;
  /** Your own axios instance (proxies, interceptors). */
  httpClient?: HttpClientOptions['axiosInstance'];
  /** Deadline of each HTTP attempt, in ms (default 30 000). */
  timeoutMs?: number;
  /** Retry policy of the HTTP client, or `false`. */
  retry?: RetryOptions | false;
  /**
   * Milliseconds between agent online pings while subscribed (default 60 000, as Brevo
   * recommends; one ping keeps the agent online for 2-3 minutes), or `false` for none.
   */
  presenceIntervalMs?: number | false;
  /**
   * How long delivered message ids are remembered to drop redeliveries, and deleted messages'
   * tombstones to keep redeliveries from bringing them back, in ms (default 7 days).
   */
  dedupeTtlMs?: number;
  /**
   * Largest webhook body read, in bytes (default 2 MiB, room for a long chat's transcript). An
   * authenticated delivery over it is answered 413 and read no further.
   */
  webhookMaxBodyBytes?: number;
}

/** The options with defaults applied and secrets resolved. */
export interface ResolvedBrevoOptions {
  apiKey: string;
  webhookSecret: string;
  agent: BrevoAgentIdentity;
  receivedFrom: string;
  baseUrl: string;
  presenceIntervalMs: number | false;
  dedupeTtlMs: number;
  webhookMaxBodyBytes: number;
}

function required(value: string | undefined, option: string, env: string): string {
  if (value) return value;
  throw new InvalidRequestError(`brevo: missing ${option}: pass the \`${option}\` option or set ${env}.`, {
    provider: 'brevo',
    issues: [{ path: option, message: `required (or set ${env})` }],
  });
}

/**
 * Applies defaults: explicit option, then environment variable, then an error naming both.
 * @throws {InvalidRequestError} when the API key, the webhook secret or the agent is missing.
 */
export function resolveBrevoOptions(
  options: BrevoAdapterOptions,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedBrevoOptions {
  const agent = options.agent as Partial<{ id: string; email: string; name: string }> | undefined;
  if (!agent?.id && !(agent?.email && agent.name)) {
    throw new InvalidRequestError('brevo: missing agent: pass `agent: { id }` or `agent: { email, name }`.', {
      provider: 'brevo',
      issues: [{ path: 'agent', message: 'required: { id } or { email, name }' }],
    });
  }
  return {
    apiKey: required(options.apiKey ?? env.BREVO_API_KEY, 'apiKey', 'BREVO_API_KEY'),
    webhookSecret: required(
      options.webhookSecret ?? env.BREVO_WEBHOOK_SECRET,
      'webhookSecret',
      'BREVO_WEBHOOK_SECRET',
    ),
    agent: options.agent,
    receivedFrom: options.receivedFrom ?? 'switchboard',
    baseUrl: options.baseUrl ?? 'https://api.brevo.com/v3',
    presenceIntervalMs: options.presenceIntervalMs ?? 60_000,
    dedupeTtlMs: options.dedupeTtlMs ?? 7 * 24 * 60 * 60 * 1000,
    webhookMaxBodyBytes: options.webhookMaxBodyBytes ?? 2 * 1024 * 1024,
  };
}
