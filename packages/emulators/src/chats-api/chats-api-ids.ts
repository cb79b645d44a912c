/** What an id names; each kind has its own counter and a recognisable first hex digit. */
export type IdKind = 'user' | 'chat' | 'message';

const PREFIX: Record<IdKind, string> = { user: 'a', chat: 'c', message: 'e' };

/**
 * Deterministic ids in the UUID layout the real server uses (`uuid4`): version nibble 4, variant 8,
 * a counter in the last 12 hex digits, e.g. the first user is `a0000000-0000-4000-8000-000000000001`.
 */
export function createIdFactory(): (kind: IdKind) => string {
  const counters: Record<IdKind, number> = { user: 0, chat: 0, message: 0 };
  return (kind) => {
    counters[kind] += 1;
    return `${PREFIX[kind]}0000000-0000-4000-8000-${counters[kind].toString(16).padStart(12, '0')}`;
  };
}

const HEX32 = /^[0-9a-f]{32}$/;

/**
 * Parses a UUID as Python's `uuid.UUID(str(value))` does (braces, `urn:uuid:` prefix, hyphens and case
 * are all accepted) and returns its canonical lower-case hyphenated form, or `undefined`.
 */
export function parseUuid(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const hex = value
    .replace(/^urn:uuid:/i, '')
    .replace(/^\{(.*)\}$/, '$1')
    .replaceAll('-', '')
    .toLowerCase();
  if (!HEX32.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
