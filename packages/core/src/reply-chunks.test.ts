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
