import { InvalidRequestError } from '@switchboard/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBlueskyAdapter } from './bluesky-adapter.js';
import { resolveBlueskyOptions } from './bluesky-options.js';

const env = { BLUESKY_IDENTIFIER: 'env.bsky.social', BLUESKY_APP_PASSWORD: 'env-pass-word-1234' };

afterEach(() => vi.unstubAllEnvs());

describe('resolveBlueskyOptions', () => {
  it('applies the defaults', () => {
    expect(resolveBlueskyOptions({}, env)).toEqual({
      identifier: 'env.bsky.social',
      password: 'env-pass-word-1234',
      service: 'https://bsky.social',
      chatServiceDid: 'did:web:api.bsky.chat',
      pollIntervalMs: 5_000,
    });
  });

  it('prefers explicit options over the environment', () => {
    expect(resolveBlueskyOptions({ identifier: 'me.example', password: 'explicit' }, env)).toMatchObject({
      identifier: 'me.example',
      password: 'explicit',
    });
  });

  it.each([
    [{ BLUESKY_APP_PASSWORD: 'x' }, /`identifier`.*BLUESKY_IDENTIFIER/],
    [{ BLUESKY_IDENTIFIER: 'x' }, /`password`.*BLUESKY_APP_PASSWORD/],
  ])('names the option and the env var of missing credentials (%j)', (partial, message) => {
    expect(() => resolveBlueskyOptions({}, partial)).toThrow(message);
  });

  it.each([
    [{ service: 'bsky.social' }, 'service'],
    [{ chatServiceDid: 'did:web:api.bsky.chat#bsky_chat' }, 'chatServiceDid'],
    [{ chatServiceDid: 'api.bsky.chat' }, 'chatServiceDid'],
    [{ pollIntervalMs: 0 }, 'pollIntervalMs'],
    [{ pollIntervalMs: Number.NaN }, 'pollIntervalMs'],
  ])('rejects malformed options (%j)', (options, path) => {
    let caught: unknown;
    try {
      resolveBlueskyOptions(options, env);
    } catch (error) {
      caught = error;
    }
    expect(InvalidRequestError.isInstance(caught)).toBe(true);
    expect((caught as InvalidRequestError).issues[0]!.path).toBe(path);
  });
});

describe('createBlueskyAdapter', () => {
  it('reads BLUESKY_IDENTIFIER / BLUESKY_APP_PASSWORD from process.env', async () => {
    vi.stubEnv('BLUESKY_IDENTIFIER', env.BLUESKY_IDENTIFIER);
    vi.stubEnv('BLUESKY_APP_PASSWORD', env.BLUESKY_APP_PASSWORD);
    const adapter = createBlueskyAdapter();
    expect(adapter.provider).toBe('bluesky');
    await adapter.close();
  });

  it('throws InvalidRequestError at creation without credentials', () => {
    vi.stubEnv('BLUESKY_IDENTIFIER', '');
    vi.stubEnv('BLUESKY_APP_PASSWORD', '');
    expect(() => createBlueskyAdapter()).toThrow(InvalidRequestError);
  });

  it('declares its capabilities', () => {
    const adapter = createBlueskyAdapter({ identifier: 'a.example', password: 'p' });
    expect(adapter.capabilities).toMatchObject({
      openConversation: 'direct-and-group',
      addParticipants: true,
      removeParticipants: true,
      updateConversation: true,
      conversationRequests: true,
      listParticipants: true,
      sendBatch: 'all-or-nothing',
      maxBatchSize: 100,
      deleteConversation: 'for-self',
      deleteMessage: 'for-self',
      getMessage: false,
      editMessage: false,
      attachments: [],
      realtime: 'polling',
      maxTextLength: 1000,
      textLengthUnit: 'graphemes',
      pageSize: { min: 1, max: 100, default: 50 },
    });
  });
});
