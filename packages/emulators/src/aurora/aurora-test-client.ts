import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { AuroraApiVersion } from './aurora-http.js';

/** One answer, body parsed as JSON when it is JSON. */
export interface TestResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** What a streamed reply delivered: the SSE events, and whether the response ended cleanly. */
export interface TestStream {
  status: number;
  contentType: string | null;
  events: EventSourceMessage[];
  /** `undefined` when the stream ended cleanly; the read error when it was cut. */
  error?: unknown;
}

/** A tiny fetch client for the emulator's tests (deliberately independent of the adapter). */
export function auroraTestClient(url: string, version: AuroraApiVersion) {
  const address = (path: string, query: Record<string, string | number | undefined> = {}) => {
    const target = new URL(`/api/${version}${path}`, url);
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) target.searchParams.set(key, String(value));
    return target;
  };
  const init = (method: string, token?: string, body?: unknown): RequestInit => ({
    method,
    headers: {
      ...(token === undefined ? {} : { 'x-access-token': token }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

  return {
    async call(
      method: string,
      path: string,
      options: { token?: string; query?: Record<string, string | number | undefined>; body?: unknown } = {},
    ): Promise<TestResponse> {
      const response = await fetch(address(path, options.query), init(method, options.token, options.body));
      const text = await response.text();
      const isJson = response.headers.get('content-type')?.includes('json') ?? false;
      return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text };
    },

    async login(username: string, password: string): Promise<string> {
      const response = await fetch(address('/login'), init('POST', undefined, { username, password }));
      return ((await response.json()) as { accessToken: string }).accessToken;
    },

    /** `POST /message`, reading the SSE body to its end with `eventsource-parser`. */
    async send(token: string, body: Record<string, unknown>): Promise<TestStream> {
      const response = await fetch(address('/message'), init('POST', token, body));
      const events: EventSourceMessage[] = [];
      const parser = createParser({ onEvent: (event) => events.push(event) });
      const result: TestStream = {
        status: response.status,
        contentType: response.headers.get('content-type'),
        events,
      };
      const decoder = new TextDecoder();
      try {
        const reader = response.body!.getReader();
        for (let read = await reader.read(); !read.done; read = await reader.read())
          parser.feed(decoder.decode(read.value, { stream: true }));
      } catch (error) {
        result.error = error;
      }
      return result;
    },
  };
}

/** The `content` of each `data: {"content": …}` event. */
export function contents(stream: TestStream): string[] {
  return stream.events.map((event) => (JSON.parse(event.data) as { content: string }).content);
}
