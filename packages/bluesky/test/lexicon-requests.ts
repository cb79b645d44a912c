/**
 * Validates requests the adapter sent against the official lexicons of `@atproto/api`: the HTTP verb
 * (query = GET, procedure = POST), URL parameters (typed per the lexicon, then
 * `lexicons.assertValidXrpcParams`) and JSON bodies (`lexicons.assertValidXrpcInput`).
 */
import { lexicons } from '@atproto/api';

/** A request as it left the adapter. */
export interface SentRequest {
  method: string;
  /** Absolute URL including the query string. */
  url: string;
  body: unknown;
}

interface ParamDef {
  type: string;
}

/** Turns URL parameters into the typed object the lexicon describes (repeated keys → arrays). */
function typedParams(nsid: string, search: URLSearchParams): Record<string, unknown> {
  const def = lexicons.getDefOrThrow(nsid, ['query', 'procedure']);
  const properties = (def.parameters?.properties ?? {}) as Record<string, ParamDef>;
  const params: Record<string, unknown> = {};
  for (const key of new Set(search.keys())) {
    const type = properties[key]?.type;
    const values = search.getAll(key);
    if (type === 'array') params[key] = values;
    else if (type === 'integer') params[key] = Number(values[0]);
    else if (type === 'boolean') params[key] = values[0] === 'true';
    else params[key] = values[0];
  }
  return params;
}

/**
 * Throws when the request does not match its lexicon. Returns its NSID.
 * Unknown parameters fail too (a lexicon lists every parameter a method takes).
 */
export function assertValidXrpcRequest(request: SentRequest): string {
  const url = new URL(request.url);
  const nsid = url.pathname.replace(/^\/xrpc\//, '');
  const def = lexicons.getDefOrThrow(nsid, ['query', 'procedure']);
  const expected = def.type === 'query' ? 'GET' : 'POST';
  if (request.method.toUpperCase() !== expected)
    throw new Error(`${nsid} is a ${def.type}: expected ${expected}, got ${request.method}`);
  const params = typedParams(nsid, url.searchParams);
  const known = Object.keys(def.parameters?.properties ?? {});
  const unknown = Object.keys(params).filter((key) => !known.includes(key));
  if (unknown.length) throw new Error(`${nsid}: unknown parameters ${unknown.join(', ')}`);
  lexicons.assertValidXrpcParams(nsid, params);
  if (def.type === 'procedure') {
    if (def.input) lexicons.assertValidXrpcInput(nsid, request.body);
    else if (request.body !== undefined && request.body !== '')
      throw new Error(`${nsid} takes no input, got a body`);
  }
  return nsid;
}
