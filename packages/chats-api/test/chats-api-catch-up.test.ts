import { type ChatsApiEmulator, startChatsApiEmulator } from '@switchboard/emulators/chats-api';
import { afterEach, expect, it } from 'vitest';
import { type ChatsApiApi, createChatsApiApi } from '../src/chats-api-api.js';
import { fetchMissed } from '../src/chats-api-catch-up.js';
import { resolveChatsApiOptions } from '../src/chats-api-options.js';
import { ALICE, BOB } from './chats-api-fixture.js';

let emulator: ChatsApiEmulator | undefined;
let api: ChatsApiApi | undefined;
afterEach(async () => {
  await api?.http.close();
  await emulator?.close();
  api = undefined;
  emulator = undefined;
});

/**
 * A fresh emulator, Alice's API client on it, her direct chat with Bob holding `count` messages from
 * Bob (`m0`…), and `knownId`: the id of the message `knownOffset` places before the newest, the last
 * one Alice knew.
 */
async function startWithChat(count: number, knownOffset: number) {
  emulator = await startChatsApiEmulator({ users: [ALICE, BOB] });
  const options = { baseUrl: emulator.url, username: ALICE.username, password: ALICE.password };
  api = createChatsApiApi(resolveChatsApiOptions(options), { retry: false });
  const chat = emulator.as(BOB.username).openDirect(ALICE.username);
  emulator.seedMessages(chat.id, count, 'm', BOB.username);
  const knownId = (await api.getChat(chat.id, 1, knownOffset)).messages[0]!.id;
  return { emulator, api, chat, knownId };
}

/**
 * Alice knew up to m99 of 400 messages (m100…m399 were missed) and reads what she missed while the
 * chat is busy: Bob sends `perPage` new messages (`new <page>.<i>`) before each page is served,
 * pushing older ones `perPage` offsets down.
 */
async function fetchMissedWhileBusy(perPage: number) {
  const { emulator, api, chat, knownId } = await startWithChat(400, 300);
  let pages = 0;
  const busy: ChatsApiApi = {
    ...api,
    getChat: (...args) => {
      emulator.seedMessages(chat.id, perPage, `new ${pages++}.`, BOB.username);
      return api.getChat(...args);
    },
  };
  return fetchMissed(busy, chat.id, knownId);
}

it('reads back every missed message once while others keep arriving during the paging', async () => {
  const { messages, complete } = await fetchMissedWhileBusy(80);
  expect(complete).toBe(true);
  const texts = messages.map((m) => m.text_content);
  expect(new Set(messages.map((m) => m.id)).size).toBe(messages.length);
  expect(texts.filter((t) => t?.match(/^m\d+$/))).toEqual(
    Array.from({ length: 300 }, (_, i) => `m${399 - i}`),
  );
});

it('says the read is incomplete when the chat gets new messages faster than it can page back', async () => {
  const { messages, complete } = await fetchMissedWhileBusy(150);
  expect(complete).toBe(false);
  // What was read is still newest first, without the newer messages that slid into later pages.
  const times = messages.map((m) => m.created_at);
  expect(times).toEqual([...times].sort().reverse());
  expect(new Set(times).size).toBe(times.length);
});

it('says the read is truncated when more than 1,000 messages are newer than the last known one', async () => {
  const { api, chat, knownId } = await startWithChat(1_200, 1_199); // knew up to m0
  const { messages, complete, truncated } = await fetchMissed(api, chat.id, knownId);
  expect({ complete, truncated, read: messages.length }).toEqual({
    complete: true,
    truncated: true,
    read: 1_000,
  });
  const recent = await fetchMissed(api, chat.id, messages[10]!.id);
  expect({ truncated: recent.truncated, read: recent.messages.length }).toEqual({
    truncated: false,
    read: 10,
  });
});
