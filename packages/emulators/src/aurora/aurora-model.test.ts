import { describe, expect, it } from 'vitest';
import { chunkReply, defaultAuroraModel } from './aurora-model.js';

describe('Aurora fake model', () => {
  const character = { id: 7, name: 'Nemo', description: 'Captain' };

  it('is deterministic and depends on the character and the message', () => {
    const reply = defaultAuroraModel({ character, message: 'hello' });
    expect(defaultAuroraModel({ character, message: 'hello' })).toBe(reply);
    expect(reply).toMatch(/^Nemo here\. You said: "hello"\. /);
    expect(defaultAuroraModel({ character: { ...character, name: 'Ada' }, message: 'hello' })).not.toBe(
      reply,
    );
  });

  it('chunks a reply into word pairs that join back exactly', () => {
    const text = '  Hello  there,\nfriend 🦊🦊 of   mine ';
    const chunks = chunkReply(text);
    expect(chunks.join('')).toBe(text);
    expect(chunks).toEqual(['  Hello  there,\n', 'friend 🦊🦊 ', 'of   mine ']);
    expect(chunkReply('')).toEqual([]);
  });
});
