import { describe, expect, it } from 'vitest';
import { ReplyChunks } from './reply-chunks.js';

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of iterable) out.push(chunk);
  return out;
}

describe('ReplyChunks', () => {
  it('delivers chunks to a reader waiting for them, and replays them to a late reader', async () => {
    const chunks = new ReplyChunks();
    const early = collect(chunks);
    chunks.push('Hel');
    await Promise.resolve();
    chunks.push('lo');
    chunks.end();
    expect(await early).toEqual(['Hel', 'lo']);
    expect(await collect(chunks)).toEqual(['Hel', 'lo']);
    expect(chunks.text).toBe('Hello');
  });

  it('throws the failure after the chunks received, so a cut reply never ends quietly', async () => {
    const chunks = new ReplyChunks();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const chunk of chunks) seen.push(chunk);
    })();
    chunks.push('Hel');
    chunks.fail(new Error('cut'));
    await expect(reading).rejects.toThrow('cut');
    expect(seen).toEqual(['Hel']);
  });

  it('ignores a failure reported after the reply completed', async () => {
    const chunks = new ReplyChunks();
    chunks.push('done');
    chunks.end();
    chunks.fail(new Error('late'));
    expect(await collect(chunks)).toEqual(['done']);
  });
});

describe('ReplyChunks.settleWith', () => {
  it('ends the iterators only once the reply resolved', async () => {
    const chunks = new ReplyChunks();
    let confirm!: (value: string) => void;
    chunks.settleWith(new Promise<string>((resolve) => (confirm = resolve)));
    chunks.push('Hel');
    chunks.push('lo');
    let ended = false;
    const reading = collect(chunks).then((all) => {
      ended = true;
      return all;
    });
    // Every chunk is delivered, but the iterator waits for the reply's verdict.
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toBe(false);
    confirm('stored');
    expect(await reading).toEqual(['Hel', 'lo']);
  });

  it('throws the reply’s rejection after the chunks, even when every chunk arrived', async () => {
    const chunks = new ReplyChunks();
    const failure = new Error('not stored');
    chunks.push('Hello');
    const seen: string[] = [];
    const reading = (async () => {
      for await (const chunk of chunks) seen.push(chunk);
    })();
    chunks.settleWith(Promise.reject(failure));
    await expect(reading).rejects.toBe(failure);
    expect(seen).toEqual(['Hello']);
    await expect(collect(chunks)).rejects.toBe(failure);
  });
});
