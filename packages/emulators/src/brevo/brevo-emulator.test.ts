import { afterEach, describe, expect, it } from 'vitest';
import { type BrevoEmulator, type BrevoEmulatorOptions, startBrevoEmulator } from './index.js';

const running: BrevoEmulator[] = [];
let emulator: BrevoEmulator;

async function start(options: BrevoEmulatorOptions = {}) {
  emulator = await startBrevoEmulator({
    agents: [{ id: 'agent-liz', name: 'Liz', email: 'liz@example.com' }],
    ...options,
  });
  running.push(emulator);
  return emulator;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((instance) => instance.close()));
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { 'api-key': emulator.apiKey, 'content-type': 'application/json', ...headers },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text ? JSON.parse(text) : undefined,
  };
}

const send = (body: Record<string, unknown>) => call('POST', '/conversations/messages', body);

describe('Brevo emulator: authentication', () => {
  it('answers 401 unauthorized without an api-key header', async () => {
    await start();
    const response = await fetch(`${emulator.url}/conversations/messages/x`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      code: 'unauthorized',
      message: 'authentication not found in headers',
    });
  });

  it('answers 401 for a wrong key, without echoing it', async () => {
    await start({ apiKey: 'right-key' });
    const { status, json, text } = await call('GET', '/conversations/messages/x', undefined, {
      'api-key': 'wrong-key-123',
    });
    expect(status).toBe(401);
    expect(json).toEqual({ code: 'unauthorized', message: 'Key not found' });
    expect(text).not.toContain('wrong-key-123');
  });

  it('serves under /v3 only', async () => {
    await start();
    const response = await fetch(emulator.url.replace('/v3', '/conversations/messages'), {
      method: 'POST',
      headers: { 'api-key': emulator.apiKey },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'document_not_found' });
  });
});

describe('Brevo emulator: agent messages', () => {
  it('sends as agentId and returns the ConversationsMessage', async () => {
    await start({ now: () => 1_700_000_000_000 });
    const { status, json } = await send({ visitorId: 'visitor-1', text: 'Hi <there>', agentId: 'agent-liz' });
    expect(status).toBe(200);
    expect(json).toEqual({
      id: expect.stringMatching(/^[2-9A-Za-z]{17}$/),
      type: 'agent',
      text: 'Hi <there>',
      html: 'Hi &lt;there&gt;',
      visitorId: 'visitor-1',
      createdAt: 1_700_000_000_000,
      agentId: 'agent-liz',
      agentName: 'Liz',
    });
    expect(emulator.messages('visitor-1')).toEqual([json]);
  });

  it('creates a dummy agent for an unknown agentEmail and keeps receivedFrom', async () => {
    await start();
    const { status, json } = await send({
      visitorId: 'v',
      text: 'Hello',
      agentEmail: 'bot@example.com',
      agentName: 'Bot',
      receivedFrom: 'Helpdesk',
    });
    expect(status).toBe(200);
    expect(json).toMatchObject({ type: 'agent', agentName: 'Bot', receivedFrom: 'Helpdesk' });
    const dummy = emulator.agents.list().find((agent) => agent.email === 'bot@example.com');
    expect(dummy).toMatchObject({ dummy: true, name: 'Bot', id: json.agentId });
  });

  it.each([
    [{ text: 'x', agentId: 'agent-liz' }, 'missing_parameter', 'visitorId is missing'],
    [{ visitorId: 'v', agentId: 'agent-liz' }, 'missing_parameter', 'text is missing'],
    [{ visitorId: 'v', text: 'x', agentEmail: 'a@b.c', agentName: 'A' }, 'missing_parameter', undefined],
    [{ visitorId: 'v', text: 'x', agentId: 'nobody' }, 'invalid_parameter', 'Agent not found'],
    [{ visitorId: 7, text: 'x', agentId: 'agent-liz' }, 'invalid_parameter', 'visitorId should be a string'],
  ])('rejects %j with 400 %s', async (body, code, message) => {
    await start();
    const response = await send(body);
    expect(response.status).toBe(400);
    expect(response.json.code).toBe(code);
    if (message) expect(response.json.message).toBe(message);
    expect(emulator.messages()).toEqual([]);
  });

  it('rejects a body that is not JSON with 400 bad_request', async () => {
    await start();
    const response = await call('POST', '/conversations/messages', '{not json');
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ code: 'bad_request', message: 'Input must be a valid JSON object' });
  });

  it('gets, edits and deletes an agent message (200, 200, 204), then 404s', async () => {
    await start();
    const sent = (await send({ visitorId: 'v', text: 'one', agentId: 'agent-liz' })).json;
    expect((await call('GET', `/conversations/messages/${sent.id}`)).json).toEqual(sent);

    const edited = await call('PUT', `/conversations/messages/${sent.id}`, { text: 'one & two' });
    expect(edited.status).toBe(200);
    expect(edited.json).toEqual({ ...sent, text: 'one & two', html: 'one &amp; two' });

    const deleted = await call('DELETE', `/conversations/messages/${sent.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    const gone = await call('GET', `/conversations/messages/${sent.id}`);
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ code: 'document_not_found', message: 'Message not found' });
    expect((await call('PUT', `/conversations/messages/${sent.id}`, { text: 'x' })).status).toBe(404);
    expect((await call('DELETE', `/conversations/messages/${sent.id}`)).status).toBe(404);
  });

  it("refuses to edit or delete a visitor's message (400)", async () => {
    await start();
    const written = await emulator.visitor('v').write('from the visitor');
    const edit = await call('PUT', `/conversations/messages/${written.id}`, { text: 'changed' });
    expect(edit.status).toBe(400);
    expect(edit.json.message).toBe("Only agents' messages can be edited");
    expect((await call('DELETE', `/conversations/messages/${written.id}`)).status).toBe(400);
    expect(emulator.messages('v')[0]?.text).toBe('from the visitor');
  });

  it('requires text to edit (400 missing_parameter)', async () => {
    await start();
    const sent = (await send({ visitorId: 'v', text: 'one', agentId: 'agent-liz' })).json;
    const response = await call('PUT', `/conversations/messages/${sent.id}`, {});
    expect(response.status).toBe(400);
    expect(response.json.code).toBe('missing_parameter');
  });
});

describe('Brevo emulator: pushed (automated) messages', () => {
  it('sends, gets, edits and deletes on the pushedMessages endpoints', async () => {
    await start();
    const pushed = await call('POST', '/conversations/pushedMessages', { visitorId: 'v', text: 'Shipped!' });
    expect(pushed.status).toBe(200);
    expect(pushed.json).toMatchObject({
      type: 'agent',
      isPushed: true,
      agentId: 'agent-liz',
      text: 'Shipped!',
    });
    const path = `/conversations/pushedMessages/${pushed.json.id}`;
    expect((await call('GET', path)).json).toEqual(pushed.json);
    expect((await call('PUT', path, { text: 'Delivered!' })).json).toMatchObject({ text: 'Delivered!' });
    expect((await call('DELETE', path)).status).toBe(204);
    expect((await call('GET', path)).status).toBe(404);
  });

  it('sends on behalf of an agent of groupId, and 400s for an unknown group or agent', async () => {
    await start();
    const group = emulator.agents.add({ name: 'Sam', email: 'sam@example.com', groupId: 'billing' });
    const ok = await call('POST', '/conversations/pushedMessages', {
      visitorId: 'v',
      text: 'x',
      groupId: 'billing',
    });
    expect(ok.json.agentId).toBe(group.id);
    const badGroup = await call('POST', '/conversations/pushedMessages', {
      visitorId: 'v',
      text: 'x',
      groupId: 'nope',
    });
    expect(badGroup.status).toBe(400);
    const badAgent = await call('POST', '/conversations/pushedMessages', {
      visitorId: 'v',
      text: 'x',
      agentId: 'nope',
    });
    expect(badAgent.json).toEqual({ code: 'invalid_parameter', message: 'Agent not found' });
  });

  it('keeps pushed and agent message endpoints apart (404 across them)', async () => {
    await start();
    const agentMessage = (await send({ visitorId: 'v', text: 'x', agentId: 'agent-liz' })).json;
    expect((await call('GET', `/conversations/pushedMessages/${agentMessage.id}`)).status).toBe(404);
    const pushed = (await call('POST', '/conversations/pushedMessages', { visitorId: 'v', text: 'y' })).json;
    expect((await call('PUT', `/conversations/messages/${pushed.id}`, { text: 'z' })).status).toBe(404);
    expect((await call('GET', `/conversations/messages/${pushed.id}`)).json).toEqual(pushed);
  });
});

describe('Brevo emulator: agent online ping', () => {
  it('answers 201 with an empty body and marks the agent online', async () => {
    await start();
    expect(emulator.agents.isOnline('agent-liz')).toBe(false);
    const response = await call('POST', '/conversations/agentOnlinePing', { agentId: 'agent-liz' });
    expect(response.status).toBe(201);
    expect(response.text).toBe('');
    expect(emulator.agents.isOnline('agent-liz')).toBe(true);
    expect(emulator.agents.get('agent-liz')?.pingCount).toBe(1);
  });

  it('goes offline 150 s after the last ping', async () => {
    let now = 1_000_000;
    await start({ now: () => now });
    await call('POST', '/conversations/agentOnlinePing', { agentId: 'agent-liz' });
    now += 149_999;
    expect(emulator.agents.isOnline('agent-liz')).toBe(true);
    now += 1;
    expect(emulator.agents.isOnline('agent-liz')).toBe(false);
  });

  it('accepts agentEmail + agentName + receivedFrom, and 400s without an agent identity', async () => {
    await start();
    const byEmail = { agentEmail: 'liz@example.com', agentName: 'Liz', receivedFrom: 'x' };
    expect((await call('POST', '/conversations/agentOnlinePing', byEmail)).status).toBe(201);
    expect(emulator.agents.isOnline('agent-liz')).toBe(true);
    const none = await call('POST', '/conversations/agentOnlinePing', {});
    expect(none.status).toBe(400);
    expect(none.json.code).toBe('missing_parameter');
  });
});

describe('Brevo emulator: rate limits and faults', () => {
  it('sends x-sib-ratelimit-* headers and a 429 without Retry-After', async () => {
    await start({ rateLimit: { limit: 2, windowMs: 60_000 } });
    const first = await call('POST', '/conversations/agentOnlinePing', { agentId: 'agent-liz' });
    expect(first.headers.get('x-sib-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-sib-ratelimit-remaining')).toBe('1');
    expect(Number(first.headers.get('x-sib-ratelimit-reset'))).toBeGreaterThan(0);
    expect(Number(first.headers.get('x-sib-ratelimit-reset'))).toBeLessThanOrEqual(60);
    await call('POST', '/conversations/agentOnlinePing', { agentId: 'agent-liz' });

    const limited = await call('POST', '/conversations/agentOnlinePing', { agentId: 'agent-liz' });
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ code: 'too_many_requests', message: expect.any(String) });
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(limited.headers.get('x-sib-ratelimit-remaining')).toBe('0');
    expect(emulator.agents.get('agent-liz')?.pingCount).toBe(2);
  });

  it('injects a rate-limit fault with the reset in whole seconds', async () => {
    await start();
    emulator.faults.inject({ fault: { kind: 'rate-limit', retryAfterMs: 2_500 } });
    const limited = await call('GET', '/conversations/messages/x');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-sib-ratelimit-reset')).toBe('3');
    expect(limited.headers.get('retry-after')).toBeNull();
  });

  it('injects status faults with Brevo error bodies', async () => {
    await start();
    emulator.faults.inject({ fault: { kind: 'status', status: 503 }, match: { method: 'POST' } });
    const failed = await send({ visitorId: 'v', text: 'x', agentId: 'agent-liz' });
    expect(failed.status).toBe(503);
    expect(failed.json).toEqual({ code: 'internal_error', message: 'Internal server error' });
    expect(emulator.messages()).toEqual([]);
  });
});

describe('Brevo emulator: ids', () => {
  it('generates the same ids for the same seed and calls', async () => {
    const ids = async () => {
      const instance = await start({ seed: 42 });
      const visitor = instance.visitor();
      const message = await visitor.write('hi');
      return [visitor.id, visitor.conversationId, message.id];
    };
    const [a, b] = [await ids(), await ids()];
    expect(a).toEqual(b);
    expect(a[0]).toHaveLength(32);
    expect(new Set(a).size).toBe(3);
  });
});
