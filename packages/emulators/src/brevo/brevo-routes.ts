import { type Context, Hono } from 'hono';
import { BrevoApiError, type BrevoConversations } from './brevo-conversations.js';
import { toRestMessage } from './brevo-payloads.js';
import type { BrevoMessageRecord, BrevoState } from './brevo-state.js';

/** Options of {@link createBrevoRoutes}. */
export interface BrevoRoutesOptions {
  apiKey: string;
  state: BrevoState;
  conversations: BrevoConversations;
  /** Runs webhook work after the response was produced, so the REST answer never waits for it. */
  afterResponse(work: () => Promise<void>): void;
}

const error = (c: Context, status: 400 | 401 | 404, code: string, message: string) =>
  c.json({ code, message }, status);

async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new BrevoApiError(400, 'bad_request', 'Input must be a valid JSON object');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BrevoApiError(400, 'bad_request', 'Input must be a valid JSON object');
  }
  return body as Record<string, unknown>;
}

/**
 * The nine Conversations endpoints of `https://api.brevo.com/v3`, under `/v3`, behind `api-key`
 * header auth. Errors are Brevo's `{ code, message }` bodies.
 */
export function createBrevoRoutes(options: BrevoRoutesOptions): Hono {
  const { state, conversations } = options;
  const rest = (message: BrevoMessageRecord) => toRestMessage(message, state);
  const app = new Hono().basePath('/v3');

  app.use('*', async (c, next) => {
    const key = c.req.header('api-key');
    if (key === undefined) return error(c, 401, 'unauthorized', 'authentication not found in headers');
    if (key !== options.apiKey) return error(c, 401, 'unauthorized', 'Key not found');
    await next();
  });

  // Agents' messages and pushed messages: the same four routes. `GET /messages/{id}` finds any message,
  // `/pushedMessages/{id}` only pushed ones; writes to either check the message is of that kind.
  for (const [path, pushed] of [
    ['messages', false],
    ['pushedMessages', true],
  ] as const) {
    app.post(`/conversations/${path}`, async (c) => {
      const body = await jsonBody(c);
      const { message, webhooks } = pushed ? conversations.sendPushed(body) : conversations.sendAsAgent(body);
      options.afterResponse(webhooks);
      return c.json(rest(message), 200);
    });
    app.get(`/conversations/${path}/:id`, (c) =>
      c.json(rest(conversations.getMessage(c.req.param('id'), pushed || undefined)), 200),
    );
    app.put(`/conversations/${path}/:id`, async (c) =>
      c.json(rest(conversations.updateMessage(c.req.param('id'), await jsonBody(c), pushed)), 200),
    );
    app.delete(`/conversations/${path}/:id`, (c) => {
      conversations.deleteMessage(c.req.param('id'), pushed);
      return c.body(null, 204);
    });
  }

  app.post('/conversations/agentOnlinePing', async (c) => {
    conversations.ping(await jsonBody(c));
    return c.body(null, 201);
  });

  app.notFound((c) => error(c, 404, 'document_not_found', 'Invalid route'));
  app.onError((err, c) => {
    if (err instanceof BrevoApiError)
      return c.json({ code: err.code, message: err.message }, err.status as 400);
    return c.json({ code: 'internal_error', message: 'Internal server error' }, 500);
  });
  return app;
}
