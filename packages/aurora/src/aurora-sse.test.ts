import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readAuroraSse } from './aurora-sse.js';

// Every framing the SSE standard allows must yield the same chunks, however the bytes are split
// into reads: LF, CRLF or bare-CR line ends, with or without comments, with or without the last
// event's blank line, split at every byte (inside CRLF pairs and inside multi-byte characters too).

const CONTENTS = ['Hel', 'lo, ', 'wörld 🦊', '', '\r\n inside JSON'];
const options = {
  firstByteTimeoutMs: 5_000,
  idleTimeoutMs: 5_000,
  what: 'the reply',
  url: 'http://x/message',
};

function body(eol: string, comments: boolean, lastBlankLine: boolean): Buffer {
  let text = '';
  CONTENTS.forEach((content, index) => {
    if (comments) text += `: keepalive${eol}${eol}`;
    text += `data: ${JSON.stringify({ content })}${eol}`;
    if (index < CONTENTS.length - 1 || lastBlankLine) text += eol;
  });
  return Buffer.from(text);
}

async function read(pieces: Buffer[]): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of readAuroraSse(Readable.from(pieces), options)) out.push(chunk);
  return out;
}

describe('readAuroraSse framings', () => {
  for (const [name, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['bare CR', '\r'],
  ] as const)
    for (const comments of [false, true])
      for (const lastBlankLine of [true, false])
        it(`${name}${comments ? ', with comments' : ''}, ${lastBlankLine ? 'ending with a blank line' : 'last event without its blank line'}: same chunks at every split`, async () => {
          const bytes = body(eol, comments, lastBlankLine);
          const splits: Buffer[][] = [[bytes], [...bytes].map((byte) => Buffer.from([byte]))];
          for (let at = 1; at < bytes.length; at += 1)
            splits.push([bytes.subarray(0, at), bytes.subarray(at)]);
          let checked = 0;
          for (const pieces of splits) {
            expect(await read(pieces)).toEqual(CONTENTS);
            checked += 1;
          }
          expect(checked).toBe(bytes.length + 1);
        });
});
