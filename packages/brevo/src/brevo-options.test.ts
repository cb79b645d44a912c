import { InvalidRequestError } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { type BrevoAdapterOptions, resolveBrevoOptions } from './brevo-options.js';

const agent = { id: 'agent1' };

describe('brevo options', () => {
  it('prefers explicit options over the environment', () => {
    const env = { BREVO_API_KEY: 'env-key', BREVO_WEBHOOK_SECRET: 'env-secret' };
    expect(resolveBrevoOptions({ agent, apiKey: 'key', webhookSecret: 'secret' }, env)).toMatchObject({
      apiKey: 'key',
      webhookSecret: 'secret',
    });
    expect(resolveBrevoOptions({ agent }, env)).toMatchObject({
      apiKey: 'env-key',
      webhookSecret: 'env-secret',
    });
  });

  it('applies defaults', () => {
    expect(resolveBrevoOptions({ agent, apiKey: 'k', webhookSecret: 's' }, {})).toEqual({
      apiKey: 'k',
      webhookSecret: 's',
      agent,
      receivedFrom: 'switchboard',
      baseUrl: 'https://api.brevo.com/v3',
      presenceIntervalMs: 60_000,
      dedupeTtlMs: 604_800_000,
      webhookMaxBodyBytes: 2_097_152,
    });
  });

  it.each([
    [{ agent, webhookSecret: 's' }, /`apiKey`.*BREVO_API_KEY/],
    [{ agent, apiKey: 'k' }, /`webhookSecret`.*BREVO_WEBHOOK_SECRET/],
    [{ apiKey: 'k', webhookSecret: 's' }, /agent/],
    [{ agent: { email: 'a@b.c' }, apiKey: 'k', webhookSecret: 's' }, /agent/],
  ])('throws InvalidRequestError naming what is missing (%j)', (options, message) => {
    const call = () => resolveBrevoOptions(options as BrevoAdapterOptions, {});
    expect(call).toThrow(InvalidRequestError);
    expect(call).toThrow(message);
  });
});
