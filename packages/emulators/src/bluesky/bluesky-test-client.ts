/*
 * Test helpers: a raw XRPC client over `fetch` (so tests see exact statuses, headers and bodies)
 * and lexicon validation with the official `@atproto/api` lexicons.
 */

import { lexicons } from '@atproto/api';
import type { BlueskyEmulator } from './bluesky-emulator.js';

/** A raw XRPC answer. */
export interface XrpcAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: unknown;
}

/** Options of one raw XRPC call. */
export interface XrpcCallOptions {
  /** Default: GET without `body`, POST with. */
  method?: string;
  params?: Record<string, string | number | string[]>;
  body?: unknown;
  /** Bearer token. */
  token?: string;
  /** `atproto-proxy` header: default the emulator's chat proxy; `false` sends none. */
  proxy?: string | false;
  headers?: Record<string, string>;
}

/** Calls `/xrpc/<nsid>` on the emulator. */
export async function callXrpc(
  emulator: BlueskyEmulator,
  nsid: string,
  options: XrpcCallOptions = {},
): Promise<XrpcAnswer> {
  const url = new URL(`/xrpc/${nsid}`, emulator.url);
  for (const [key, value] of Object.entries(options.params ?? {}))
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const proxy = options.proxy ?? emulator.proxyHeader;
  if (proxy !== false) headers['atproto-proxy'] = proxy;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the text
  }
  return { status: response.status, headers: response.headers, body };
}

/** Logs in with createSession; returns the session body. */
export async function login(
  emulator: BlueskyEmulator,
  identifier: string,
  password: string,
): Promise<{ accessJwt: string; refreshJwt: string; did: string; handle: string }> {
  const answer = await callXrpc(emulator, 'com.atproto.server.createSession', {
    body: { identifier, password },
  });
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as { accessJwt: string; refreshJwt: string; did: string; handle: string };
}

/** Asserts that `body` is a valid output of `nsid` per the official lexicons; returns it. */
export function assertOutput<T = Record<string, unknown>>(nsid: string, body: unknown): T {
  lexicons.assertValidXrpcOutput(nsid, body);
  return body as T;
}

/** Asserts that `input` is a valid input body of `nsid` per the official lexicons; returns it. */
export function assertInput<T>(nsid: string, input: T): T {
  lexicons.assertValidXrpcInput(nsid, input);
  return input;
}

/** Asserts that `params` are valid params of `nsid` per the official lexicons; returns them. */
export function assertParams<T extends Record<string, unknown>>(nsid: string, params: T): T {
  lexicons.assertValidXrpcParams(nsid, params);
  return params;
}
