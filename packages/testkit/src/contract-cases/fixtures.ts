import { randomUUID } from 'node:crypto';
import type { Capabilities } from '@switchboard/core';
import type { ContractPeer } from '../contract-types.js';

/** A text no other case (or run) writes, so a case finds exactly its own messages. */
export function uniqueText(label: string): string {
  return `contract ${label} ${randomUUID().slice(0, 8)}`;
}

/** A unique prefix for numbered texts: `${prefix}${i}`. */
export function uniquePrefix(label: string): string {
  return `contract-${label}-${randomUUID().slice(0, 8)}-`;
}

/**
 * Has the peer write `count` messages, oldest first, texts `${prefix}0` … `${prefix}${count - 1}`:
 * through `peer.seedHistory` when the peer has it, else one `peer.send` at a time.
 */
export async function seedHistory(
  peer: ContractPeer,
  conversationId: string,
  count: number,
  prefix: string,
): Promise<void> {
  if (peer.seedHistory) {
    await peer.seedHistory(conversationId, count, prefix);
    return;
  }
  for (let i = 0; i < count; i += 1) await peer.send(conversationId, `${prefix}${i}`);
}

/**
 * A text exactly `length` units long in the provider's unit, made of characters that are longer in
 * every other unit: `e` + combining acute (1 grapheme, 2 code points, 3 UTF-8 bytes) when the provider
 * counts graphemes, `😀` (1 code point, 2 UTF-16 units, 4 bytes) when it counts code points, and for
 * UTF-16 code units `😀`s (plus one `a` for an odd length): fewer graphemes and code points than units.
 * An adapter whose manifest names the wrong unit fails with such a text.
 */
export function textOfLength(length: number, unit: Capabilities['textLengthUnit']): string {
  if (unit === 'utf-16') return '😀'.repeat(Math.floor(length / 2)) + (length % 2 === 1 ? 'a' : '');
  return (unit === 'graphemes' ? 'e\u0301' : '😀').repeat(length);
}

/** Attachment URLs that need no network: tiny `data:` URLs. */
export const sampleAttachments = {
  image: {
    kind: 'image',
    url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    name: 'contract.png',
  },
  file: { kind: 'file', url: 'data:text/plain;base64,Y29udHJhY3Q=', name: 'contract.txt' },
} as const;

/** Clamps `value` into `[min, max]`. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
