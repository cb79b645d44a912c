/**
 * Realtime latency over the chats-api WebSocket: peers (in the emulator's process) send over their
 * sockets, which the server broadcasts; we time peer send → the messenger's `'message'` event and,
 * on the same messages in the same run, → a raw `ws` client subscribed to the same chats.
 * @module
 */

import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import type { BenchConfig } from '../config.js';
import { chatsApiMessenger, chatsApiRawClient, startChatsApiFixture } from '../providers/chats-api.js';
import { seededRandom } from '../random.js';
import { createLatencyRecorder } from './latency-recorder.js';

export interface ChatsApiRealtimeRun {
  /** Latencies of the messenger's `'message'` events, ms, in send order (NaN: not delivered). */
  ours: number[];
  /** Latencies of the raw `ws` client, ms. */
  raw: number[];
  duplicates: number;
}

/** A raw `ws` client on `/ws?token=`, subscribed to `chatIds`; reports the texts of broadcast messages. */
async function startRawSocket(
  wsUrl: string,
  token: string,
  chatIds: string[],
  onText: (text: string) => void,
) {
  const ws = new WebSocket(`${wsUrl}?token=${encodeURIComponent(token)}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const pending = new Set(chatIds);
  const subscribed = new Promise<void>((resolve) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as {
        type: string;
        chat_id?: string;
        message?: { text_content?: string | null };
      };
      if (frame.type === 'subscribed' && frame.chat_id) {
        pending.delete(frame.chat_id);
        if (pending.size === 0) resolve();
      } else if (frame.type === 'message' && frame.message?.text_content) onText(frame.message.text_content);
    });
  });
  for (const chatId of chatIds) ws.send(JSON.stringify({ type: 'subscribe', chat_id: chatId }));
  await subscribed;
  return {
    close: () =>
      new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

export async function chatsApiRealtimeRun(
  config: BenchConfig['realtime'],
  run: number,
): Promise<ChatsApiRealtimeRun> {
  const { messages, conversations } = config;
  const fixture = await startChatsApiFixture({ extraPeers: conversations });
  const messenger = await chatsApiMessenger(fixture.target);
  const raw = await chatsApiRawClient(fixture.target);
  const latencies = createLatencyRecorder(messenger);
  const socket = await startRawSocket(
    fixture.target.wsUrl,
    raw.token,
    fixture.peers.map((peer) => peer.chatId),
    latencies.rawSaw,
  );
  const peers = fixture.peers.map((peer) => ({
    chatId: peer.chatId,
    as: fixture.emulator.as(peer.username),
  }));
  const send = (peer: (typeof peers)[number], text: string) => {
    latencies.sent(text);
    peer.as.sendMessage(peer.chatId, text);
  };
  const waitFor = async (texts: string[], timeoutMs: number) => {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline && !latencies.allSeen(texts)) await sleep(5);
  };
  try {
    await messenger.start();
    // Warm-up: one message per chat, so both clients are subscribed everywhere before timing.
    const warm = peers.map((peer, i) => {
      const text = `warm-up ${run} ${i}`;
      send(peer, text);
      return text;
    });
    await waitFor(warm, 10_000);
    latencies.forget(warm);

    const random = seededRandom(0xc4a7 + run);
    const texts: string[] = [];
    for (let i = 0; i < messages; i++) {
      await sleep(random() * 50);
      const text = `realtime ${run} message ${i}`;
      texts.push(text);
      send(peers[i % peers.length]!, text);
    }
    await waitFor(texts, 2_000);
    return latencies.result(texts);
  } finally {
    await socket.close();
    await messenger.close();
    await raw.close();
    await fixture.close();
  }
}
