import { vi } from 'vitest';
import WebSocket from 'ws';
import {
  assertAsyncApiSchema,
  assertAsyncApiServerEvent,
  assertOpenApiResponse,
  assertSubscriptionAck,
} from './spec-validators.js';

/** A REST answer: status, parsed body (text when not JSON) and headers. */
export interface TestResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

/** What one test request sends. */
export interface TestRequest {
  token?: string;
  json?: unknown;
  /** A raw body (sent as is, with `contentType`). */
  raw?: string;
  contentType?: string;
  form?: Record<string, string>;
}

const template = (path: string) =>
  path
    .replace(/\?.*$/, '')
    .replace(/^\/chats\/[^/]+\/messages$/, '/chats/{chat_id}/messages')
    .replace(/^\/chats\/[^/]+$/, '/chats/{chat_id}');

/**
 * Calls the emulator over real HTTP and checks every JSON answer against the OpenAPI document (or,
 * for `HTTPException` statuses, against `{"detail": string}`), so no test can pass on a body the
 * real server could not send.
 */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  request: TestRequest = {},
): Promise<TestResponse> {
  const headers: Record<string, string> = {};
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  let body: string | URLSearchParams | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.form) body = new URLSearchParams(request.form);
  else if (request.raw !== undefined) {
    body = request.raw;
    if (request.contentType) headers['content-type'] = request.contentType;
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('application/json');
  const parsed: unknown = isJson ? JSON.parse(text) : text;
  if (isJson) assertOpenApiResponse(method, template(path), response.status, parsed);
  return { status: response.status, body: parsed, headers: response.headers };
}

/** Logs in through `POST /token` and returns the access token. */
export async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const response = await call(baseUrl, 'POST', '/token', { form: { username, password } });
  if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
  return (response.body as { access_token: string }).access_token;
}

/** A frame received on a test socket. */
export type Frame = Record<string, unknown> & { type: string };

/** A WebSocket whose every received frame is checked against the AsyncAPI document. */
export interface TestSocket {
  readonly frames: Frame[];
  send(frame: unknown): void;
  sendRaw(data: string | Buffer): void;
  /** The first frame (already received or next) matching `predicate`. */
  next(predicate?: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  /** Resolves with the close code. */
  readonly closed: Promise<number>;
  close(): Promise<void>;
}

function assertFrame(frame: Frame): void {
  if (frame.type === 'subscribed' || frame.type === 'unsubscribed') assertSubscriptionAck(frame);
  else if (frame.type === 'message' && !('chat_id' in frame)) {
    // A message sent on /ws/chats/{id} is broadcast without a top-level chat_id, to /ws subscribers
    // too (the server's one connection manager serves both endpoints; AsyncAPI documents /ws only).
    if (Object.keys(frame).sort().join() !== 'message,type')
      throw new Error(`bad frame ${JSON.stringify(frame)}`);
    assertAsyncApiSchema('MessageOut', frame.message);
  } else assertAsyncApiServerEvent(frame);
}

/** Opens a socket; resolves once open, or rejects when the handshake is refused. */
export async function openSocket(
  url: string,
  options: { headers?: Record<string, string> } = {},
): Promise<TestSocket> {
  const ws = new WebSocket(url, { headers: options.headers });
  const frames: Frame[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as Frame;
    assertFrame(frame);
    frames.push(frame);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake answered ${res.statusCode}`)));
  });
  return {
    frames,
    send: (frame) => ws.send(JSON.stringify(frame)),
    sendRaw: (data) => ws.send(data),
    next: (predicate = () => true, timeoutMs = 2000) =>
      vi.waitFor(
        () => {
          const found = frames.find(predicate);
          if (found) return found;
          throw new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(frames)}`);
        },
        { timeout: timeoutMs, interval: 5 },
      ),
    closed,
    async close() {
      ws.close();
      await closed;
    },
  };
}

/** The close code a socket gets when its handshake is accepted and then closed by the server. */
export async function closeCodeOf(url: string): Promise<number> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.on('close', (code) => resolve(code));
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res) => reject(new Error(`handshake answered ${res.statusCode}`)));
  });
}
