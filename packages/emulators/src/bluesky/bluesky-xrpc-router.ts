import type { HonoRequest } from 'hono';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { xrpcErrorBody } from './bluesky-profile.js';
import type { BlueskySessions, IssuedToken } from './bluesky-sessions.js';
import { BlueskyXrpcError, invalidRequest } from './bluesky-xrpc-error.js';

/** What a method handler gets. */
export interface XrpcCall {
  /** The query string (XRPC params). */
  params: URLSearchParams;
  /** The parsed JSON body of a procedure with input; `undefined` otherwise. */
  input: unknown;
  /** The verified token, for methods with `auth` other than `none`. */
  token?: IssuedToken;
}

/** One XRPC method the emulated PDS answers. */
export interface XrpcMethod {
  /** `query` = GET, `procedure` = POST. */
  type: 'query' | 'procedure';
  /** The bearer token the method needs. */
  auth: 'none' | 'access' | 'refresh';
  /** Whether the procedure takes a JSON body (lexicon `input`). */
  input?: boolean;
  /**
   * Set for chat methods: served by the chat service behind the PDS proxy, so they need the
   * `atproto-proxy` header. `privileged` = in the PDS's `PRIVILEGED_METHODS` (needs DM access).
   */
  chat?: { privileged: boolean };
  /** Returns the 200 JSON body (`undefined`: empty body), or throws {@link BlueskyXrpcError}. */
  handle(call: XrpcCall): unknown;
}

/** Options of {@link createXrpcApp}. */
export interface XrpcAppOptions {
  methods: Readonly<Record<string, XrpcMethod>>;
  sessions: BlueskySessions;
  /** DID of the chat service; chat calls need `atproto-proxy: <chatServiceDid>#bsky_chat`. */
  chatServiceDid: string;
}

const CHAT_SERVICE_ID = '#bsky_chat';
const APPVIEW_DID = 'did:web:api.bsky.app';
const APPVIEW_SERVICE_ID = '#bsky_appview';

/**
 * Chat calls that reach the AppView (no `atproto-proxy` header, or one naming the AppView).
 * DEFINE: the PDS forwards them to the AppView, which has the chat lexicons but no handler, so its
 * framework answers a bare 404; the PDS turns that into 404 `XRPCNotSupported`, as third parties
 * report (the other reported outcome, 501 `MethodNotImplemented`, is what unknown NSIDs get here).
 */
const notServedByAppView = () => new BlueskyXrpcError(404, 'XRPCNotSupported', 'XRPCNotSupported');

/**
 * Checks an `atproto-proxy` header the way the reference PDS does (`parseProxyHeader`), against the
 * two services this emulator can "resolve": the chat service and the AppView.
 */
function checkProxyHeader(header: string | undefined, chatServiceDid: string): void {
  if (header === undefined) throw notServedByAppView();
  const hash = header.indexOf('#');
  if (hash === 0) throw invalidRequest('no did specified in proxy header');
  if (hash === -1 || hash === header.length - 1)
    throw invalidRequest('no service id specified in proxy header');
  if (header.indexOf('#', hash + 1) !== -1) throw invalidRequest('invalid proxy header format');
  if (header.includes(' ')) throw invalidRequest('proxy header cannot contain spaces');
  const did = header.slice(0, hash);
  const serviceId = header.slice(hash);
  const services: Record<string, string> = {
    [chatServiceDid]: CHAT_SERVICE_ID,
    [APPVIEW_DID]: APPVIEW_SERVICE_ID,
  };
  const known = services[did];
  if (known === undefined) throw invalidRequest('could not resolve proxy did');
  if (known !== serviceId) throw invalidRequest('could not resolve proxy did service url');
  if (did !== chatServiceDid) throw notServedByAppView();
}

/** Reads a procedure's JSON body as xrpc-server does. */
async function readJsonInput(req: HonoRequest): Promise<unknown> {
  const contentType = req.header('content-type');
  if (!contentType) throw invalidRequest('Request encoding (Content-Type) required but not provided');
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType))
    throw invalidRequest(`Wrong request encoding (Content-Type): ${contentType}`);
  const text = await req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // DEFINE: the message of a body that is not JSON.
    throw invalidRequest('Request body is not valid JSON');
  }
}

/**
 * The PDS's XRPC endpoint `/xrpc/:nsid` as a hono app. Pipeline, in the reference PDS's order:
 * unknown NSID → 501 `MethodNotImplemented`; wrong verb → 400 "Incorrect HTTP method (GET) expected
 * POST"; bearer auth; for chat methods the privileged-method check ("Bad token method") and the
 * `atproto-proxy` header; then the JSON input and the handler. Errors are `{ error, message }`.
 */
export function createXrpcApp(options: XrpcAppOptions): Hono {
  const app = new Hono();

  app.all('/xrpc/:nsid', async (c) => {
    const method = options.methods[c.req.param('nsid')];
    if (!method) throw new BlueskyXrpcError(501, 'MethodNotImplemented', 'Method Not Implemented');
    const expected = method.type === 'procedure' ? 'POST' : 'GET';
    if (c.req.method !== expected)
      throw invalidRequest(`Incorrect HTTP method (${c.req.method}) expected ${expected}`);

    const token =
      method.auth === 'none'
        ? undefined
        : options.sessions.verify(c.req.header('authorization'), method.auth);
    if (method.chat) {
      if (method.chat.privileged && !token?.privileged)
        throw new BlueskyXrpcError(400, 'InvalidToken', 'Bad token method');
      checkProxyHeader(c.req.header('atproto-proxy'), options.chatServiceDid);
    }
    const input = method.input ? await readJsonInput(c.req) : undefined;
    const body = method.handle({
      params: new URL(c.req.url).searchParams,
      input,
      ...(token ? { token } : {}),
    });
    return body === undefined ? c.body(null, 200) : c.json(body);
  });

  app.onError((error, c) => {
    if (error instanceof BlueskyXrpcError)
      return c.json(error.toJSON(), error.status as ContentfulStatusCode, error.headers);
    return c.json(xrpcErrorBody(500), 500);
  });

  return app;
}
