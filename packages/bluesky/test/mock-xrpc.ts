/**
 * A scriptable fake PDS on nock: every `/xrpc/<nsid>` request is recorded and answered by the
 * handler registered for its NSID (404 `XRPCNotSupported` otherwise).
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** One request the fake received. */
export interface XrpcCall {
  method: string;
  nsid: string;
  /** Absolute URL with query. */
  url: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** Parsed JSON body, `undefined` when empty. */
  body: unknown;
}

/** `[status, body, headers]`. */
export type XrpcReply = readonly [number, unknown?, Record<string, string>?];
export type XrpcHandler = (call: XrpcCall) => XrpcReply | Promise<XrpcReply>;

/** Intercepts `origin` until `nock.cleanAll()`. */
export function mockXrpc(origin: string, handlers: Record<string, XrpcHandler>) {
  const calls: XrpcCall[] = [];
  const respond = async (
    req: { method?: string; headers: Record<string, string> },
    uri: string,
    raw: unknown,
  ) => {
    const url = new URL(uri, origin);
    const nsid = url.pathname.replace(/^\/xrpc\//, '');
    const body =
      raw === '' || raw === undefined ? undefined : typeof raw === 'string' ? JSON.parse(raw) : raw;
    const call: XrpcCall = {
      method: req.method ?? 'GET',
      nsid,
      url: url.toString(),
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    calls.push(call);
    const handler = handlers[nsid];
    if (!handler) return [404, { error: 'XRPCNotSupported', message: 'XRPCNotSupported' }] as const;
    const [status, replyBody, headers] = await handler(call);
    return [
      status,
      replyBody === undefined ? '' : JSON.stringify(replyBody),
      { 'content-type': 'application/json', ...headers },
    ] as const;
  };
  nock(origin)
    .persist()
    .get(/^\/xrpc\//)
    .reply(function (uri, body) {
      return respond({ method: 'GET', headers: this.req.headers }, uri, body);
    })
    .post(/^\/xrpc\//)
    .reply(function (uri, body) {
      return respond({ method: 'POST', headers: this.req.headers }, uri, body);
    });
  return {
    calls,
    /** Calls to one NSID. */
    callsTo: (nsid: string) => calls.filter((call) => call.nsid.endsWith(nsid)),
  };
}

/**
 * For the calling test file: no real connection while it runs (a request no fake answers fails),
 * and every fake is dropped after each test.
 */
export function useOfflineNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());
}
