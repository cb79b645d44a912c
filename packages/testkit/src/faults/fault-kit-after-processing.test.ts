import { describe, expect, it } from 'vitest';
import { listenOnLoopback, plainProfile } from '../../test/fault-kit-test-server.js';
import { createFaultKit } from './fault-kit.js';

/** A server behind the kit: `/json` answers JSON, `/stream` streams three SSE events. */
async function serve() {
  const kit = createFaultKit({ profile: plainProfile });
  const state = { handled: 0 };
  const { url } = await listenOnLoopback(async (req, res) => {
    if (await kit.intercept(req, res)) return;
    if (req.url === '/stream') {
      res.setHeader('content-type', 'text/event-stream');
      res.writeHead(200);
      for (const n of [1, 2, 3]) {
        await new Promise<void>((resolve) => res.write(`data: ${n}\n\n`, () => resolve()));
      }
      state.handled += 1;
      res.end();
      return;
    }
    state.handled += 1;
    res.writeHead(200, { 'content-type': 'application/json', 'x-stored': 'yes' });
    res.end(JSON.stringify({ ok: true }));
  });
  return { kit, state, get: (path: string) => fetch(url + path) };
}

describe('faults after processing', () => {
  it('status afterProcessing: the handler runs (the message is stored), then the client gets the status', async () => {
    const s = await serve();
    s.kit.inject({ fault: { kind: 'status', status: 500, afterProcessing: true } });
    const answer = await s.get('/json');
    expect(answer.status).toBe(500);
    expect(answer.headers.get('x-stored')).toBeNull();
    expect(await answer.json()).toEqual({ error: 'status 500' });
    expect(s.state.handled).toBe(1);
    expect((await s.get('/json')).status).toBe(200);
  });

  it('malformed afterProcessing: the handler runs, the client gets a truncated 200 — for streams too', async () => {
    const s = await serve();
    s.kit.inject({ fault: { kind: 'malformed', afterProcessing: true }, times: 2 });
    for (const path of ['/json', '/stream']) {
      const answer = await s.get(path);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await answer.text()).toBe('{"malformed":');
    }
    expect(s.state.handled).toBe(2);
  });
});
