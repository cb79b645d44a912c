import { Agent, request } from 'node:http';
import { createConnection, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { callXrpc } from './bluesky-test-client.js';
import { startBlueskyEmulator } from './index.js';

/** GETs `url` over a keep-alive agent; resolves with the (still open) socket once the answer is read. */
function keepAliveGet(url: string, agent: Agent): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(req.socket as Socket));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a TCP connection to the host:port of `url`. */
function connect(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: hostname, port: Number(port) }, () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
}

describe('startBlueskyEmulator / close', () => {
  it('listens on 127.0.0.1 with a random port', async () => {
    const emulator = await startBlueskyEmulator();
    try {
      expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(emulator.stats()).toEqual({ accounts: 0, convos: 0, messages: 0, logEntries: 0 });
    } finally {
      await emulator.close();
    }
  });

  it('close() stops listening and destroys keep-alive sockets', async () => {
    const emulator = await startBlueskyEmulator();
    const agent = new Agent({ keepAlive: true });
    try {
      const socket = await keepAliveGet(`${emulator.url}/xrpc/com.atproto.server.getSession`, agent);
      expect(socket.destroyed).toBe(false);
      await expect(connect(emulator.url)).resolves.toBeUndefined();
      const socketClosed = new Promise((resolve) => socket.once('close', resolve));

      await emulator.close();
      await socketClosed;
      expect(socket.destroyed).toBe(true);
      await expect(connect(emulator.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      await expect(emulator.close()).resolves.toBeUndefined(); // idempotent
    } finally {
      agent.destroy();
    }
  });

  it('close() during an in-flight (delayed) request ends it without stray errors', async () => {
    const emulator = await startBlueskyEmulator();
    emulator.faults.inject({ fault: { kind: 'latency', ms: 150 } });
    const pending = callXrpc(emulator, 'com.atproto.server.getSession');
    await new Promise((resolve) => setTimeout(resolve, 30));
    await emulator.close();
    await expect(pending).rejects.toThrow();
    // Let the latency timer fire against the destroyed socket: it must not throw.
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
});
