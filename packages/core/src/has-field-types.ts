/** A `typeof` answer a duck-typed field is checked against. */
export type FieldType = 'boolean' | 'function' | 'string';

/**
 * `true` when `value` is an object (not `null`, not a function) whose named fields have these
 * `typeof` types: how the Messenger recognises web-platform objects (`AbortSignal`, `Request`) that
 * frameworks and other realms hand over as their own implementations. Internal, not exported by the
 * package.
 */
export function hasFieldTypes(value: unknown, fields: Readonly<Record<string, FieldType>>): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return Object.entries(fields).every(([name, type]) => typeof record[name] === type);
}
