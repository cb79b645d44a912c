import { BrevoClient, BrevoError } from '@getbrevo/brevo';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BrevoEmulator, startBrevoEmulator } from './index.js';

/**
 * Fidelity: the official `@getbrevo/brevo` client (Fern-generated, v6), pointed at the emulator,
 * drives every Conversations endpoint the emulator serves.
 */
let emulator: BrevoEmulator;
let client: BrevoClient;

beforeEach(async () => {
  emulator = await startBrevoEmulator({
    agents: [{ id: 'd9nKoegKSjmCtyK78', name: 'Liz', email: 'liz@getwear.com' }],
  });
  client = new BrevoClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 });
});

afterEach(async () => {
  await emulator.close();
});

const visitorId = 'kZMvWhf8npAu3H6qd57w2Hv6nh6rnxvg';

describe('@getbrevo/brevo against the Brevo emulator', () => {
  it('sets the agent online (201, empty body)', async () => {
    await client.conversations.setsAgentsStatusToOnlineFor23Minutes({ agentId: 'd9nKoegKSjmCtyK78' });
    await client.conversations.setsAgentsStatusToOnlineFor23Minutes({
      agentEmail: 'liz@getwear.com',
      agentName: 'Liz',
      receivedFrom: 'SuperAwesomeHelpdesk',
    });
    expect(emulator.agents.get('d9nKoegKSjmCtyK78')?.pingCount).toBe(2);
  });

  it('sends, gets, updates and deletes a message as an agent', async () => {
    const sent = await client.conversations.sendAMessageAsAnAgent({
      agentId: 'd9nKoegKSjmCtyK78',
      receivedFrom: 'SuperAwesomeHelpdesk',
      text: 'Hello! How can I help you?',
      visitorId,
    });
    expect(sent).toMatchObject({
      type: 'agent',
      visitorId,
      agentId: 'd9nKoegKSjmCtyK78',
      receivedFrom: 'SuperAwesomeHelpdesk',
    });

    const byEmail = await client.conversations.sendAMessageAsAnAgent({
      agentEmail: 'liz@getwear.com',
      agentName: 'Liz',
      receivedFrom: 'SuperAwesomeHelpdesk',
      text: 'Anything else?',
      visitorId,
    });
    expect(byEmail.agentId).toBe('d9nKoegKSjmCtyK78');

    const id = sent.id!;
    expect(await client.conversations.getAMessage({ id })).toEqual(sent);
    const updated = await client.conversations.updateAMessageSentByAnAgent({ id, text: 'Good morning!' });
    expect(updated).toMatchObject({ id, text: 'Good morning!', html: 'Good morning!' });
    await client.conversations.deleteAMessageSentByAnAgent({ id });
    expect(emulator.messages(visitorId).map((m) => m.id)).toEqual([byEmail.id]);
  });

  it('sends, gets, updates and deletes an automated message', async () => {
    const pushed = await client.conversations.sendAnAutomatedMessageToAVisitor({
      text: 'Your order has shipped!',
      visitorId,
    });
    expect(pushed).toMatchObject({ type: 'agent', isPushed: true, visitorId });
    const id = pushed.id!;
    expect(await client.conversations.getAnAutomatedMessage({ id })).toEqual(pushed);
    const updated = await client.conversations.updateAnAutomatedMessage({ id, text: 'Delivered!' });
    expect(updated.text).toBe('Delivered!');
    await client.conversations.deleteAnAutomatedMessage({ id });
    expect(emulator.messages(visitorId)).toEqual([]);
  });

  it("reads a visitor's message with its file", async () => {
    const written = await emulator.visitor(visitorId).write('conversations.png', {
      file: {
        name: 'conversations.png',
        url: 'https://ucarecdn.com/cee5c10c/',
        size: 15538,
        image: { width: 1129, height: 525 },
      },
    });
    const message = await client.conversations.getAMessage({ id: written.id });
    expect(message).toMatchObject({ type: 'visitor', text: 'conversations.png', visitorId });
    expect(message.file).toMatchObject({ size: 15538, isImage: true });
  });

  it('surfaces 404 and 400 as BrevoError with the { code, message } body', async () => {
    const notFound = await client.conversations
      .getAMessage({ id: 'missing' })
      .catch((error: unknown) => error);
    expect(notFound).toBeInstanceOf(BrevoError);
    expect(notFound).toMatchObject({ statusCode: 404, body: { code: 'document_not_found' } });

    const bad = await client.conversations
      .sendAMessageAsAnAgent({ visitorId, text: 'x', agentName: 'Liz' })
      .catch((error: unknown) => error);
    expect(bad).toMatchObject({ statusCode: 400, body: { code: 'missing_parameter' } });
  });

  it('surfaces a wrong key as 401 unauthorized', async () => {
    const wrong = new BrevoClient({ apiKey: 'nope', baseUrl: emulator.url, maxRetries: 0 });
    const error = await wrong.conversations.getAMessage({ id: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 401, body: { code: 'unauthorized' } });
  });
});
