import { describe, expect, it } from 'vitest';
import {
  assertAsyncApiClientEvent,
  assertAsyncApiServerEvent,
  assertOpenApiRequest,
  assertOpenApiResponse,
} from './spec-validators.js';

// The fidelity checks are only worth something if they can fail.
describe('spec validators', () => {
  it('reject REST bodies the OpenAPI document does not allow', () => {
    expect(() =>
      assertOpenApiResponse('GET', '/me', 200, { id: 'not-a-uuid', email: 'a@b.co', username: 'a' }),
    ).toThrow('format');
    expect(() =>
      assertOpenApiResponse('GET', '/chats', 200, { items: [], total: 0, limit: 0, offset: 0 }),
    ).toThrow();
    expect(() => assertOpenApiResponse('GET', '/me', 401, { detail: ['x'] })).toThrow();
    expect(() => assertOpenApiRequest('POST', '/chats', { user_ids: ['x'] })).toThrow();
    expect(() =>
      assertOpenApiRequest('POST', '/token', { password: 'p' }, 'application/x-www-form-urlencoded'),
    ).toThrow();
  });

  it('reject WebSocket frames the AsyncAPI document does not allow', () => {
    expect(() => assertAsyncApiServerEvent({ type: 'message', message: {} })).toThrow();
    expect(() => assertAsyncApiServerEvent({ type: 'error' })).toThrow();
    expect(() =>
      assertAsyncApiClientEvent({ type: 'seen', chat_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6' }),
    ).toThrow();
    expect(() => assertAsyncApiClientEvent({ type: 'ping' })).not.toThrow();
  });
});
