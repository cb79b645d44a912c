import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { listenOnLoopback, plainProfile } from '../../test/fault-kit-test-server.js';
import { createFaultKit } from './fault-kit.js';

/** The three events `/stream` writes, one write each; the second carries multi-byte characters. */
const EVENTS = [
  'event: message\ndata: {"text":"first"}\n\n',
  'event: delta\ndata: {"text":"héllo 😀 wörld"}\n\n',
  'event: reply\ndata: {"text":"last"}\n\n',
];

/** A server behind the kit: `/stream` streams {@link EVENTS} (headers via `writeHead`), `/json` answers JSON. */
async function serve() {
  const kit = createFaultKit({ profile: plainProfile });
  const state = { handled: 0 };
  const { port } = await listenOnLoopback(async (req, res) => {
    if (await kit.intercept(req, res)) return;
    state.handled += 1;
    if (req.url === '/stream') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8' });
      for (const event of EVENTS) await new Promise<void>((resolve) => res.write(event, () => resolve()));
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true }));
  });
  /** GETs `path`; resolves with the body's chunks as received and how the response ended. */
  const get = (path: string, signal?: AbortSignal) =>
    new Promise<{ chunks: Buffer[]; ended: 'end' | 'error' }>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const req = request({ host: '127.0.0.1', port, path, signal }, (res) => {
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ chunks, ended: 'end' }));
        res.on('error', () => resolve({ chunks, ended: 'error' }));
        res.on('aborted', () => resolve({ chunks, ended: 'error' }));
      });
      req.on('error', (error) => (chunks.length > 0 ? resolve({ chunks, ended: 'error' }) : reject(error)));
      req.end();
    });
  const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8');
  return { kit, state, get, text };
}

describe("the 'event-stream' fault", () => {
  it('passes the events whole after afterEvents, then cuts the connection halfway through the next', async () => {
    const { kit, get, text } = await serve();
    const rule = kit.inject({ fault: { kind: 'event-stream', afterEvents: 1, action: 'cut' } });
    const { chunks, ended } = await get('/stream');
    expect(ended).toBe('error');
    const body = text(chunks);
    expect(body.startsWith(EVENTS[0]!)).toBe(true);
    expect(body.length).toBeGreaterThan(EVENTS[0]!.length);
    expect(Buffer.byteLength(body)).toBeLessThan(Buffer.byteLength(EVENTS[0]! + EVENTS[1]!));
    expect(rule.hits).toBe(1);
  });

  it("'end' ends the response cleanly in the middle of the event", async () => {
    const { kit, get, text } = await serve();
    kit.inject({ fault: { kind: 'event-stream', afterEvents: 2, action: 'end' } });
    const { chunks, ended } = await get('/stream');
    expect(ended).toBe('end');
    const body = text(chunks);
    expect(body.startsWith(EVENTS[0]! + EVENTS[1]!)).toBe(true);
    expect(body).not.toContain('"last"}');
    expect(body.length).toBeGreaterThan((EVENTS[0]! + EVENTS[1]!).length);
  });

  it("'malformed' cuts the next event's data short, then lets the rest through", async () => {
    const { kit, get, text } = await serve();
    kit.inject({ fault: { kind: 'event-stream', afterEvents: 1, action: 'malformed' } });
    const { chunks, ended } = await get('/stream');
    expect(ended).toBe('end');
    const events = text(chunks).split('\n\n').filter(Boolean);
    expect(events).toHaveLength(3);
    expect(`${events[0]}\n\n`).toBe(EVENTS[0]);
    expect(events[1]).toMatch(/^event: delta\ndata: \{"te/);
    expect(() => JSON.parse(events[1]!.split('data: ')[1]!)).toThrow();
    expect(`${events[2]}\n\n`).toBe(EVENTS[2]);
  });

  it("'stall' writes nothing after afterEvents and keeps the connection open until the client aborts", async () => {
    const { kit, get, text } = await serve();
    kit.inject({ fault: { kind: 'event-stream', afterEvents: 1, action: 'stall' } });
    const controller = new AbortController();
    const received = get('/stream', controller.signal);
    // Abort once the first event has been written and nothing more came for a while.
    setTimeout(() => controller.abort(), 200);
    const { chunks, ended } = await received;
    expect(ended).toBe('error');
    expect(text(chunks)).toBe(EVENTS[0]);
  });

  it("'insert' writes its text before the next event, then everything as is", async () => {
    const { kit, get, text } = await serve();
    const extra = 'event: ping\ndata: {}\n\n';
    kit.inject({ fault: { kind: 'event-stream', afterEvents: 1, action: 'insert', insert: extra } });
    const { chunks, ended } = await get('/stream');
    expect(ended).toBe('end');
    expect(text(chunks)).toBe(EVENTS[0]! + extra + EVENTS[1]! + EVENTS[2]!);
  });

  it('chunkBytes writes the body in pieces of that size, splitting multi-byte characters, the body unchanged', async () => {
    const { kit, get, text } = await serve();
    kit.inject({ fault: { kind: 'event-stream', chunkBytes: 1 } });
    const { chunks, ended } = await get('/stream');
    expect(ended).toBe('end');
    expect(text(chunks)).toBe(EVENTS.join(''));
    // Some read ends inside a character: decoding each chunk on its own would garble the text.
    expect(chunks.map((chunk) => chunk.toString('utf8')).join('')).not.toBe(EVENTS.join(''));
  });

  it('a response that is not an event stream passes untouched and does not use the rule up', async () => {
    const { kit, get, text } = await serve();
    const rule = kit.inject({ fault: { kind: 'event-stream', action: 'cut' } });
    const json = await get('/json');
    expect(text(json.chunks)).toBe('{"ok":true}');
    expect(rule.hits).toBe(0);
    const stream = await get('/stream');
    expect(stream.ended).toBe('error');
    expect(rule.hits).toBe(1);
  });

  it('a stream that ends before the event the fault is for passes whole, and the rule is not used up', async () => {
    const { kit, get, text } = await serve();
    const rule = kit.inject({ fault: { kind: 'event-stream', afterEvents: 5, action: 'cut' } });
    const { chunks, ended } = await get('/stream');
    expect(ended).toBe('end');
    expect(text(chunks)).toBe(EVENTS.join(''));
    expect(rule.hits).toBe(0);
  });
});
