import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { BrevoWebhookEvent, BrevoWebhookEventName } from './brevo-payloads.js';

/**
 * The query parameter that carries the webhook secret. Brevo's Conversations webhooks are configured
 * with a URL only (no signature, no custom header), so the secret travels in the URL itself:
 * `https://app.example.com/brevo/webhook?token=<secret>`. Brevo posts to that URL as configured.
 */
export const WEBHOOK_TOKEN_PARAM = 'token';

/** How webhooks are delivered: redelivery and ordering, for adapter tests. */
export interface BrevoWebhookDeliveryOptions {
  /** POST every webhook this many times (a redelivery is the same body again). Default 1. */
  copies?: number;
  /** List the `messages[]` of fragments and transcripts newest first instead of oldest first. */
  outOfOrder?: boolean;
}

/** One POST the emulator made to the webhook URL. */
export interface BrevoWebhookDelivery {
  eventName: BrevoWebhookEventName;
  body: BrevoWebhookEvent;
  /** The URL posted to, secret included (as Brevo would). */
  url: string;
  /** The receiver's HTTP status; absent when the request failed. */
  status?: number;
  /** Why the request failed (refused, timeout…). */
  error?: string;
}

/** Options of {@link createBrevoWebhookSender}. */
export interface BrevoWebhookSenderOptions extends BrevoWebhookDeliveryOptions {
  url?: string;
  secret?: string;
  /** Event types selected in the webhook settings (default: all three). */
  events?: readonly BrevoWebhookEventName[];
  /** Per-request timeout, ms (default 5_000). */
  timeoutMs?: number;
}

const ALL_EVENTS: readonly BrevoWebhookEventName[] = [
  'conversationStarted',
  'conversationFragment',
  'conversationTranscript',
];

/** The webhook sender's control surface, exposed as `emulator.webhooks`. */
export interface BrevoWebhookControl {
  /** Every POST made so far, oldest first. */
  readonly deliveries: readonly BrevoWebhookDelivery[];
  /** Changes redelivery and ordering for the next webhooks. */
  setDelivery(options: BrevoWebhookDeliveryOptions): void;
  /** Queues webhooks instead of sending them, until {@link resume}. */
  pause(): void;
  /** Sends the queued webhooks, in order or (with `reverse`) newest first, and resolves when done. */
  resume(options?: { reverse?: boolean }): Promise<void>;
  /** POSTs the body of delivery `index` again (default: the last one). */
  redeliver(index?: number): Promise<BrevoWebhookDelivery>;
  /** Resolves when no webhook is in flight. */
  idle(): Promise<void>;
}

/** Sends webhooks to the configured URL (internal to the emulator). */
export interface BrevoWebhookSender extends BrevoWebhookControl {
  /** Sets (or, with `undefined`, removes) the webhook URL, adding the secret as `?token=`. */
  configure(url: string | undefined, secret?: string): void;
  /** Delivers `event` if a URL is set and its type is selected; resolves when delivered (or queued). */
  send(event: BrevoWebhookEvent): Promise<void>;
  /** Runs `work` (which sends webhooks) on the next turn of the event loop; {@link idle} waits for it. */
  defer(work: () => Promise<void>): void;
  /** Aborts in-flight requests and drops the queue. */
  close(): void;
}

/** Creates the sender. Requests use no keep-alive agent, so nothing lingers after `close()`. */
export function createBrevoWebhookSender(options: BrevoWebhookSenderOptions = {}): BrevoWebhookSender {
  const events = new Set(options.events ?? ALL_EVENTS);
  const timeoutMs = options.timeoutMs ?? 5_000;
  const deliveries: BrevoWebhookDelivery[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const controllers = new Set<AbortController>();
  let delivery: Required<BrevoWebhookDeliveryOptions> = {
    copies: options.copies ?? 1,
    outOfOrder: options.outOfOrder ?? false,
  };
  let target: string | undefined;
  let queue: BrevoWebhookEvent[] | undefined;
  let closed = false;

  const configure = (url: string | undefined, secret?: string) => {
    if (url === undefined) {
      target = undefined;
      return;
    }
    const parsed = new URL(url);
    if (secret !== undefined) parsed.searchParams.set(WEBHOOK_TOKEN_PARAM, secret);
    target = parsed.toString();
  };
  configure(options.url, options.secret);

  const post = (url: string, body: string) => {
    const controller = new AbortController();
    controllers.add(controller);
    const parsed = new URL(url);
    const request = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<number>((resolve, reject) => {
      const req = request(
        parsed,
        {
          method: 'POST',
          agent: false,
          signal: controller.signal,
          timeout: timeoutMs,
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'Brevo-Conversations-Webhooks (switchboard emulator)',
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`webhook timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    }).finally(() => controllers.delete(controller));
  };

  const deliverOnce = async (url: string, body: BrevoWebhookEvent): Promise<BrevoWebhookDelivery> => {
    const record: BrevoWebhookDelivery = { eventName: body.eventName, body, url };
    deliveries.push(record);
    try {
      record.status = await post(url, JSON.stringify(body));
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    return record;
  };

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    return promise.finally(() => inFlight.delete(promise));
  };

  const ordered = (event: BrevoWebhookEvent): BrevoWebhookEvent =>
    delivery.outOfOrder && 'messages' in event
      ? { ...event, messages: [...event.messages].reverse() }
      : event;

  const deliver = async (event: BrevoWebhookEvent) => {
    const url = target;
    if (url === undefined || closed) return;
    const body = ordered(event);
    for (let copy = 0; copy < delivery.copies; copy += 1) await deliverOnce(url, body);
  };

  return {
    get deliveries() {
      return deliveries;
    },
    configure,
    setDelivery(options) {
      delivery = { ...delivery, ...options };
    },
    async send(event) {
      if (!events.has(event.eventName) || target === undefined || closed) return;
      if (queue) {
        queue.push(event);
        return;
      }
      await track(deliver(event));
    },
    defer(work) {
      void track(new Promise((resolve) => setImmediate(resolve)).then(work));
    },
    pause() {
      queue ??= [];
    },
    async resume(resumeOptions = {}) {
      const pending = queue ?? [];
      queue = undefined;
      if (resumeOptions.reverse) pending.reverse();
      for (const event of pending) await track(deliver(event));
    },
    async redeliver(index = deliveries.length - 1) {
      const previous = deliveries[index];
      if (!previous) throw new RangeError(`no webhook delivery #${index}`);
      return track(deliverOnce(previous.url, previous.body));
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    close() {
      closed = true;
      queue = undefined;
      for (const controller of controllers) controller.abort();
    },
  };
}
