import { inspect } from 'node:util';
import {
  AuthenticationError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  ProviderUnavailableError,
  RateLimitError,
  SwitchboardError,
} from '@switchboard/core';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_ID,
  API,
  API_KEY,
  restMessage,
  testAdapter,
  VISITOR_ID,
  WEBHOOK_SECRET,
} from '../test/brevo-fixtures.js';
import type { BrevoAdapterOptions } from './brevo-options.js';

const adapterWith = (options: Partial<BrevoAdapterOptions> = {}) => testAdapter({ retry: false, ...options });

/** Intercepts one call to Brevo and captures its body and headers. */
function expectCall(
  method: 'post' | 'get' | 'put' | 'delete',
  path: string,
  status: number,
  reply?: unknown,
  headers = {},
) {
  const seen: { body?: unknown; headers?: Record<string, string | string[] | undefined> } = {};
  nock(API)
    [method](`/v3${path}`)
    .reply(function (_uri, body) {
      seen.body = body;
      seen.headers = this.req.headers;
      return [
        status,
        reply === undefined ? '' : JSON.stringify(reply),
        { 'content-type': 'application/json', ...headers },
      ];
    });
  return seen;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('brevo request shapes', () => {
  it('sends as agentId with receivedFrom and the api-key header', async () => {
    const call = expectCall('post', '/conversations/messages', 200, restMessage({ text: 'Hi' }));
    const message = await adapterWith().sendMessage(VISITOR_ID, { text: 'Hi' });
    expect(call.body).toEqual({
      visitorId: VISITOR_ID,
      text: 'Hi',
      agentId: AGENT_ID,
      receivedFrom: 'switchboard',
    });
    expect(call.headers?.['api-key']).toBe(API_KEY);
    expect(message).toMatchObject({
      id: 'eYBEm3gq3zc5ayE2g',
      conversationId: VISITOR_ID,
      provider: 'brevo',
      text: 'Hi',
      sender: { id: AGENT_ID, kind: 'agent', displayName: 'Liz', isSelf: true },
      sentAt: new Date(1_717_000_000_000),
      attachments: [],
      reactions: [],
    });
  });

  it('sends as agentEmail + agentName + receivedFrom, and learns the agent id', async () => {
    const call = expectCall(
      'post',
      '/conversations/messages',
      200,
      restMessage({ receivedFrom: 'helpdesk' }),
    );
    const adapter = adapterWith({
      agent: { email: 'liz@getwear.com', name: 'Liz' },
      receivedFrom: 'helpdesk',
    });
    await adapter.sendMessage(VISITOR_ID, { text: 'Hello! How can I help you?' });
    expect(call.body).toEqual({
      visitorId: VISITOR_ID,
      text: 'Hello! How can I help you?',
      agentEmail: 'liz@getwear.com',
      agentName: 'Liz',
      receivedFrom: 'helpdesk',
    });
    expect((await adapter.getConversation(VISITOR_ID)).participants).toContainEqual({
      id: AGENT_ID,
      handle: 'liz@getwear.com',
      displayName: 'Liz',
      kind: 'agent',
      isSelf: true,
    });
  });

  it('sends automated messages through pushedMessages, on behalf of our agent or a group', async () => {
    const adapter = adapterWith();
    const pushed = restMessage({ id: 'AXCR3k9bpSY7bpuh7', isPushed: true, receivedFrom: undefined });
    const byAgent = expectCall('post', '/conversations/pushedMessages', 200, pushed);
    await adapter.sendMessage(
      VISITOR_ID,
      { text: 'Shipped' },
      { providerOptions: { brevo: { automated: true } } },
    );
    expect(byAgent.body).toEqual({ visitorId: VISITOR_ID, text: 'Shipped', agentId: AGENT_ID });

    const byGroup = expectCall('post', '/conversations/pushedMessages', 200, {
      ...pushed,
      id: 'BXCR3k9bpSY7bpuh7',
    });
    await adapter.sendMessage(
      VISITOR_ID,
      { text: 'Shipped' },
      { providerOptions: { brevo: { automated: true, groupId: 'PjRBMhWGen6aRHjif' } } },
    );
    expect(byGroup.body).toEqual({ visitorId: VISITOR_ID, text: 'Shipped', groupId: 'PjRBMhWGen6aRHjif' });
  });

  it('edits and deletes automated messages through the pushedMessages endpoints', async () => {
    const adapter = adapterWith();
    const pushed = restMessage({ id: 'AXCR3k9bpSY7bpuh7', isPushed: true });
    expectCall('post', '/conversations/pushedMessages', 200, pushed);
    await adapter.sendMessage(
      VISITOR_ID,
      { text: 'Shipped' },
      { providerOptions: { brevo: { automated: true } } },
    );

    const edit = expectCall('put', '/conversations/pushedMessages/AXCR3k9bpSY7bpuh7', 200, {
      ...pushed,
      text: 'Delivered',
    });
    const edited = await adapter.editMessage(VISITOR_ID, 'AXCR3k9bpSY7bpuh7', { text: 'Delivered' });
    expect(edit.body).toEqual({ text: 'Delivered' });
    expect(edited.text).toBe('Delivered');
    expect(edited.editedAt).toBeInstanceOf(Date);

    expectCall('delete', '/conversations/pushedMessages/AXCR3k9bpSY7bpuh7', 204);
    await adapter.deleteMessage(VISITOR_ID, 'AXCR3k9bpSY7bpuh7');
    expect((await adapter.listMessages(VISITOR_ID, {})).items).toEqual([]);
    expect(nock.isDone()).toBe(true);
  });

  it('edits and deletes agent messages through the messages endpoints', async () => {
    const adapter = adapterWith();
    expectCall('post', '/conversations/messages', 200, restMessage());
    await adapter.sendMessage(VISITOR_ID, { text: 'Hello! How can I help you?' });
    const edit = expectCall(
      'put',
      '/conversations/messages/eYBEm3gq3zc5ayE2g',
      200,
      restMessage({ text: 'Hi!' }),
    );
    await adapter.editMessage(VISITOR_ID, 'eYBEm3gq3zc5ayE2g', { text: 'Hi!' });
    expect(edit.body).toEqual({ text: 'Hi!' });
    const history = await adapter.listMessages(VISITOR_ID, {});
    expect(history.items.map((m) => m.text)).toEqual(['Hi!']);
    expectCall('delete', '/conversations/messages/eYBEm3gq3zc5ayE2g', 204);
    await adapter.deleteMessage(VISITOR_ID, 'eYBEm3gq3zc5ayE2g');
    expect(nock.isDone()).toBe(true);
  });

  it('gets an unrecorded message, falling back to pushedMessages on 404', async () => {
    expectCall('get', '/conversations/messages/AXCR3k9bpSY7bpuh7', 404, {
      code: 'document_not_found',
      message: 'Message not found',
    });
    expectCall(
      'get',
      '/conversations/pushedMessages/AXCR3k9bpSY7bpuh7',
      200,
      restMessage({ id: 'AXCR3k9bpSY7bpuh7', isPushed: true }),
    );
    const message = await adapterWith().getMessage(VISITOR_ID, 'AXCR3k9bpSY7bpuh7');
    expect(message).toMatchObject({ id: 'AXCR3k9bpSY7bpuh7', conversationId: VISITOR_ID });
    expect(nock.isDone()).toBe(true);
  });

  it("maps a visitor's file (REST shape) to an attachment", async () => {
    const file = {
      filename: 'conversations.png',
      size: 15538,
      isImage: true,
      url: 'https://ucarecdn.com/cee5c10c/',
      imageInfo: { width: 1129, height: 525, previewUrl: 'https://ucarecdn.com/03cd56cd/-/preview/' },
    };
    expectCall('get', '/conversations/messages/Qd7nTzR9aKxW2mLpe', 200, {
      id: 'Qd7nTzR9aKxW2mLpe',
      type: 'visitor',
      text: 'conversations.png',
      visitorId: VISITOR_ID,
      createdAt: 1_717_000_000_000,
      file,
    });
    const message = await adapterWith().getMessage(VISITOR_ID, 'Qd7nTzR9aKxW2mLpe');
    expect(message.sender).toEqual({ id: VISITOR_ID, kind: 'visitor', isSelf: false });
    expect(message.attachments).toEqual([
      {
        kind: 'image',
        url: file.url,
        name: 'conversations.png',
        sizeBytes: 15538,
        width: 1129,
        height: 525,
        raw: file,
      },
    ]);
  });

  it('refuses a message of another conversation (NotFoundError)', async () => {
    expectCall(
      'get',
      '/conversations/messages/eYBEm3gq3zc5ayE2g',
      200,
      restMessage({ visitorId: 'someone-else' }),
    );
    await expect(adapterWith().getMessage(VISITOR_ID, 'eYBEm3gq3zc5ayE2g')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('pings agentOnlinePing on connect and returns the agent', async () => {
    const call = expectCall('post', '/conversations/agentOnlinePing', 201);
    const me = await adapterWith().connect();
    expect(call.body).toEqual({ agentId: AGENT_ID, receivedFrom: 'switchboard' });
    expect(me).toEqual({ id: AGENT_ID, kind: 'agent', isSelf: true });
  });

  it('rejects attachments and a groupId without automated, sending nothing', async () => {
    const adapter = adapterWith();
    await expect(
      adapter.sendMessage(VISITOR_ID, {
        text: 'x',
        attachments: [{ kind: 'image', url: 'https://x.test/a.png' }],
      }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(
      adapter.sendMessage(VISITOR_ID, { text: 'x' }, { providerOptions: { brevo: { groupId: 'g' } } }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    const unknown = await adapter
      .sendMessage(VISITOR_ID, { text: 'x' }, { providerOptions: { brevo: { automatic: true } } })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(InvalidRequestError);
    expect((unknown as InvalidRequestError).issues[0]?.path).toBe('providerOptions.brevo');
  });

  it("ignores other providers' options", async () => {
    const adapter = adapterWith();
    const call = expectCall('post', '/conversations/messages', 200, restMessage({ text: 'x' }));
    await adapter.sendMessage(VISITOR_ID, { text: 'x' }, { providerOptions: { aurora: { anything: 1 } } });
    expect(call.body).toMatchObject({ visitorId: VISITOR_ID, text: 'x' });
  });
});

describe('brevo error mapping', () => {
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    expectCall('post', '/conversations/messages', status, body, headers);
    return adapterWith()
      .sendMessage(VISITOR_ID, { text: 'Hi' })
      .catch((error: unknown) => error);
  };

  it.each([
    [
      400,
      { code: 'missing_parameter', message: 'visitorId is missing' },
      InvalidRequestError,
      'missing_parameter',
    ],
    [401, { code: 'unauthorized', message: 'Key not found' }, AuthenticationError, 'unauthorized'],
    [403, { code: 'permission_denied', message: 'no access' }, PermissionDeniedError, 'permission_denied'],
    [400, { code: 'document_not_found', message: 'Visitor not found' }, NotFoundError, 'document_not_found'],
    [404, { code: 'document_not_found', message: 'Message not found' }, NotFoundError, 'document_not_found'],
    [500, { code: 'internal_error', message: 'oops' }, ProviderUnavailableError, 'internal_error'],
  ])('HTTP %i %j → %o', async (status, body, ErrorClass, providerCode) => {
    const error = await send(status, body);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ provider: 'brevo', status, providerCode, method: 'POST' });
    expect((error as Error).message).toContain(body.message);
  });

  it('reads the rate-limit reset from x-sib-ratelimit-reset (seconds, no Retry-After)', async () => {
    const error = await send(
      429,
      { code: 'too_many_requests', message: 'The expected rate limit is exceeded.' },
      { 'x-sib-ratelimit-limit': '10', 'x-sib-ratelimit-remaining': '0', 'x-sib-ratelimit-reset': '7' },
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(6_000);
    expect((error as RateLimitError).retryAfterMs).toBeLessThanOrEqual(7_000);
  });

  it('never puts the API key or webhook secret in an error', async () => {
    const error = await send(401, { code: 'unauthorized', message: `Key not found: ${API_KEY}` });
    expect(SwitchboardError.isInstance(error)).toBe(true);
    for (const text of [
      (error as Error).message,
      JSON.stringify(error),
      inspect(error),
      (error as Error).stack ?? '',
    ]) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(WEBHOOK_SECRET);
    }
  });
});
