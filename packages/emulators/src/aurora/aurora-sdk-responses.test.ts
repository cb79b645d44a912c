import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auroraUsers } from '../../test/test-accounts.js';
import { type AuroraEmulator, startAuroraEmulator } from './aurora-emulator.js';
import { auroraErrorText as text } from './aurora-error-bodies.js';
import type { AuroraApiVersion } from './aurora-http.js';
import { auroraTestClient, type TestResponse } from './aurora-test-client.js';

// What each official SDK version declares for the error answers of each operation, transcribed
// from the generated code of `Aurora-Interactive/chatbot-sdk-typescript` (v11.4.0 at 0b7bb9d:
// `src/funcs/*.ts` matchers and `src/models/**`; v5.1.0 at dbbf4a9: `src/sdk/*.ts` matchers and
// `src/models/**`). An error body is `{ success?: boolean, error: <one literal> }` (the private
// character error has no `success`). Every error path of the emulator is exercised below and must be
// a status that operation matches, with a body one of its declared error models accepts.

/** A declared error model: its `error` literal, and whether it may carry `success`. */
type ErrorModel = { error: string; noSuccess?: true };
type Declared = Partial<Record<400 | 401 | 402 | 403 | 429, ErrorModel[]>>;

const bad: ErrorModel = { error: text.badRequest };
const auth: ErrorModel = { error: text.authenticationFailed };
const quota: ErrorModel = { error: text.quotaExceeded };
const v11Default: Declared = { 400: [bad], 401: [auth], 429: [quota] };

/** v11.4.0: every operation matches 200/400/401/429 with the generic models, except as listed. */
const v11: Record<string, Declared> = {
  'POST /login': v11Default,
  'POST /signup': { 400: [bad], 429: [quota] },
  'GET /user/info': { 401: [auth], 429: [quota] },
  'GET /characters': v11Default,
  'GET /character': { ...v11Default, 403: [{ error: text.privateCharacter, noSuccess: true }] },
  'GET /chats': v11Default,
  'POST /chat': v11Default,
  'DELETE /chat': v11Default,
  'GET /chat/preview': v11Default,
  'GET /messages': v11Default,
  'POST /message/save': v11Default,
  'POST /message': v11Default,
  'DELETE /message': v11Default,
};

const badStanding: ErrorModel = { error: text.accountInBadStanding };
const invalidChat: ErrorModel = { error: text.invalidChatId };
const notYours: ErrorModel = { error: text.unauthorizedId };
/** v5.1.0: per-operation statuses; only some operations declare the specific chat/message literals. */
const v5: Record<string, Declared> = {
  'POST /login': { 400: [bad], 401: [auth] },
  'POST /signup': { 400: [bad, { error: text.signupFailed }], 401: [auth] },
  'GET /characters': { 400: [bad], 401: [auth] },
  'GET /character': {},
  'GET /chats': { 400: [bad], 401: [auth] },
  'POST /chat': { 400: [bad], 401: [auth], 402: [badStanding] },
  'DELETE /chat': { 400: [bad, invalidChat], 401: [auth, notYours] },
  'GET /chat/preview': { 400: [bad], 401: [auth], 402: [badStanding] },
  'GET /message/history': { 400: [bad, invalidChat], 401: [auth, notYours], 402: [badStanding] },
  'POST /message/save': { 400: [bad], 401: [auth], 402: [badStanding] },
  'POST /message': { 400: [bad, invalidChat], 401: [auth, notYours], 402: [badStanding] },
  'DELETE /message': {
    400: [bad, { error: text.invalidMessageId }],
    401: [auth, notYours],
    402: [badStanding],
  },
};

/**
 * Answers the SDK declares nothing for, where the emulator uses the generic shapes (documented in
 * docs/adapters/aurora.md): v11 `GET /user/quota` matches 200 only, v5 `GET /character` 200 only.
 */
const undeclared: Record<AuroraApiVersion, Record<string, Declared>> = {
  v11: { 'GET /user/quota': { 401: [auth] } },
  v5: { 'GET /character': { 400: [bad], 401: [auth] } },
};

/** Why `response` is not an answer the SDK of `version` declares for `operation`, or `undefined`. */
function conformance(
  version: AuroraApiVersion,
  operation: string,
  response: TestResponse,
): string | undefined {
  const declared = (version === 'v11' ? v11 : v5)[operation] ?? undeclared[version][operation];
  if (!declared) return `${operation} is not an operation of the ${version} SDK`;
  const models =
    declared[response.status as keyof Declared] ??
    undeclared[version][operation]?.[response.status as keyof Declared];
  if (!models) return `${operation} answered ${response.status}, which the ${version} SDK does not match`;
  const body = response.body as Record<string, unknown>;
  const accepted = models.some(
    (model) =>
      typeof body === 'object' &&
      body !== null &&
      body.error === model.error &&
      (body.success === undefined || (!model.noSuccess && typeof body.success === 'boolean')),
  );
  return accepted
    ? undefined
    : `${operation} answered ${response.status} ${JSON.stringify(body)}, no declared model accepts it`;
}

describe.each<AuroraApiVersion>(['v11', 'v5'])(
  'Aurora emulator %s: error answers its SDK declares',
  (version) => {
    let emulator: AuroraEmulator;
    let client: ReturnType<typeof auroraTestClient>;
    let ann: string;
    let eve: string;
    let annChat: number;
    let eveChat: number;
    let eveMessage: number;
    let secret: number;
    beforeAll(async () => {
      emulator = await startAuroraEmulator({ users: auroraUsers('ann', 'eve') });
      client = auroraTestClient(emulator.url, version);
      ann = await client.login('ann', 'pw-ann');
      eve = await client.login('eve', 'pw-eve');
      annChat = emulator.createChat('ann', 1);
      eveChat = emulator.createChat('eve', 1);
      eveMessage = emulator.messages(eveChat)[0]!.id;
      secret = emulator.addCharacter({ name: 'Secret', isPrivate: true, creator: 'eve' }).id;
    });
    afterAll(() => emulator.close());

    const history = version === 'v11' ? 'GET /messages' : 'GET /message/history';
    const unknownChat = 9_999;
    type Case = [operation: string, call: () => Promise<TestResponse>, status: number];
    const chatCases = (name: string, chatId: () => number): Case[] => [
      [`DELETE /chat`, () => client.call('DELETE', '/chat', { token: ann, query: { chatId: chatId() } }), 0],
      [
        `GET /chat/preview`,
        () => client.call('GET', '/chat/preview', { token: ann, query: { chatId: chatId() } }),
        0,
      ],
      [
        history,
        () =>
          client.call('GET', history.slice(4), { token: ann, query: { chatId: chatId(), numMessages: 10 } }),
        0,
      ],
      [
        'POST /message/save',
        () =>
          client.call('POST', '/message/save', {
            token: ann,
            body: { role: 'user', content: name, timestamp: 1, chatId: chatId() },
          }),
        0,
      ],
      [
        'POST /message',
        () =>
          client.call('POST', '/message', {
            token: ann,
            body: { characterId: 1, chatId: chatId(), message: name },
          }),
        0,
      ],
    ];

    const cases = (): Case[] => [
      ['POST /login', () => client.call('POST', '/login', { body: { username: 'ann' } }), 400],
      [
        'POST /login',
        () => client.call('POST', '/login', { body: { username: 'ann', password: 'nope' } }),
        401,
      ],
      ['POST /signup', () => client.call('POST', '/signup', { body: { username: 'x' } }), 400],
      [
        'POST /signup',
        () => client.call('POST', '/signup', { body: { username: 'ann', email: 'a@b.c', password: 'p' } }),
        400,
      ],
      ['GET /chats', () => client.call('GET', '/chats', { token: 'not-a-token' }), 401],
      [
        'GET /characters',
        () => client.call('GET', '/characters', { token: ann, query: { numCharacters: 0 } }),
        400,
      ],
      [
        'GET /character',
        () => client.call('GET', '/character', { token: ann, query: { characterId: 77 } }),
        400,
      ],
      [
        'GET /character',
        () => client.call('GET', '/character', { token: ann, query: { characterId: secret } }),
        version === 'v11' ? 403 : 400,
      ],
      ['POST /chat', () => client.call('POST', '/chat', { token: ann, body: { characterId: 77 } }), 400],
      ['POST /chat', () => client.call('POST', '/chat', { token: ann, body: { characterId: secret } }), 400],
      ...chatCases('unknown', () => unknownChat),
      ...chatCases('foreign', () => eveChat),
      [
        'DELETE /message',
        () => client.call('DELETE', '/message', { token: ann, query: { messageId: 1 } }),
        400,
      ],
      [
        'DELETE /message',
        () => client.call('DELETE', '/message', { token: ann, query: { messageId: eveMessage } }),
        0,
      ],
      ...(version === 'v11'
        ? ([
            ['GET /user/info', () => client.call('GET', '/user/info', { token: 'not-a-token' }), 401],
            ['GET /user/quota', () => client.call('GET', '/user/quota', { token: 'not-a-token' }), 401],
          ] satisfies Case[])
        : []),
    ];

    it('answers every error path with a status and body the SDK declares for that operation', async () => {
      const failures: string[] = [];
      let checked = 0;
      for (const [operation, call, status] of cases()) {
        const response = await call();
        checked += 1;
        if (response.status < 400) failures.push(`${operation}: expected an error, got ${response.status}`);
        else if (status !== 0 && response.status !== status)
          failures.push(`${operation}: expected ${status}, got ${response.status}`);
        const why = conformance(version, operation, response);
        if (why) failures.push(why);
      }
      expect(failures).toEqual([]);
      expect(checked).toBeGreaterThanOrEqual(20);
      // Nothing was stored through the refused calls.
      expect(emulator.messages(eveChat)).toHaveLength(1);
    });

    it('answers an exhausted quota as the profile declares (429 quota literal in v11, 402 in v5)', async () => {
      emulator.exhaustQuota('ann');
      const response = await client.call('POST', '/message', {
        token: ann,
        body: { characterId: 1, chatId: annChat, message: 'hi' },
      });
      expect(response.status).toBe(version === 'v11' ? 429 : 402);
      expect(conformance(version, 'POST /message', response)).toBeUndefined();
    });

    it('answers the SDK operations it does not serve with 404, like an unknown route (README: out of scope)', async () => {
      const outOfScope: [string, string][] =
        version === 'v11'
          ? [
              ['PUT', '/user/info'],
              ['POST', '/character'],
              ['POST', '/tts'],
              ['GET', '/tts'],
            ]
          : [
              ['GET', '/characters/banner'],
              ['POST', '/character'],
              ['GET', '/message/context'],
            ];
      for (const [method, path] of outOfScope) {
        const response = await client.call(method, path, {
          token: ann,
          body: method === 'GET' ? undefined : {},
        });
        expect([method, path, response.status]).toEqual([method, path, 404]);
      }
    });

    it('keeps the specific v5 literals where v5 declares them (unknown chat 400, foreign chat 401)', async () => {
      const unknown = await client.call('DELETE', '/chat', { token: eve, query: { chatId: unknownChat } });
      const foreign = await client.call('DELETE', '/chat', { token: eve, query: { chatId: annChat } });
      expect([unknown.status, (unknown.body as { error: string }).error]).toEqual(
        version === 'v5' ? [400, text.invalidChatId] : [400, text.badRequest],
      );
      expect([foreign.status, (foreign.body as { error: string }).error]).toEqual(
        version === 'v5' ? [401, text.unauthorizedId] : [400, text.badRequest],
      );
    });
  },
);
