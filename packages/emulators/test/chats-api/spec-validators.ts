import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * Validators built from the provider's own documents (copied verbatim into `spec/`, the one copy in the repository): the OpenAPI
 * document of the REST API and the AsyncAPI document of the `/ws` WebSocket. Test-only (ajv, yaml).
 */
const specDir = new URL('spec/', import.meta.url);
const openapi = JSON.parse(readFileSync(new URL('chats-api.openapi.json', specDir), 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
};
const asyncapi = parse(readFileSync(new URL('chats-api.asyncapi.yaml', specDir), 'utf8')) as object;

// The OpenAPI document says 3.0.0 but its schemas are JSON Schema (anyOf + type "null", as FastAPI
// writes them), so plain ajv reads them; `strict: false` lets it skip `example`, `title` and friends.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(openapi, 'openapi');
ajv.addSchema(asyncapi, 'asyncapi');
// What the provider spec documents outside the two documents (from the server code): FastAPI
// `HTTPException` bodies, and the `/ws` subscribe/unsubscribe acknowledgements.
ajv.addSchema(
  {
    definitions: {
      HTTPException: {
        type: 'object',
        required: ['detail'],
        properties: { detail: { type: 'string' } },
      },
      SubscriptionAck: {
        type: 'object',
        required: ['type', 'chat_id'],
        additionalProperties: false,
        properties: {
          type: { enum: ['subscribed', 'unsubscribed'] },
          chat_id: { type: 'string', format: 'uuid' },
        },
      },
    },
  },
  'server-code',
);

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
const cache = new Map<string, ValidateFunction>();
const compiled = (ref: string) => {
  const validate = cache.get(ref) ?? ajv.compile({ $ref: ref });
  cache.set(ref, validate);
  return validate;
};

/** Throws with ajv's error list when `data` does not match the schema at `ref`. */
function check(ref: string, data: unknown): void {
  const validate = compiled(ref);
  if (!validate(data)) throw new Error(`${ref}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(data)}`);
}

/** Whether the OpenAPI document declares a JSON response for this operation and status. */
export function documentsResponse(method: string, path: string, status: number): boolean {
  return openapi.paths[path]?.[method.toLowerCase()]?.responses[String(status)]?.content !== undefined;
}

/**
 * Validates a response body against the OpenAPI document (`path` as templated there, e.g.
 * `/chats/{chat_id}`). Statuses the document leaves out (401, 400, 404: FastAPI `HTTPException`s,
 * described in the provider spec) must be `{"detail": string}`.
 */
export function assertOpenApiResponse(method: string, path: string, status: number, body: unknown): void {
  if (documentsResponse(method, path, status)) {
    check(
      `openapi#/${pointer('paths', path, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema')}`,
      body,
    );
    return;
  }
  check('server-code#/definitions/HTTPException', body);
}

/** Validates a request body against the OpenAPI document's `requestBody` schema (JSON or form). */
export function assertOpenApiRequest(
  method: string,
  path: string,
  body: unknown,
  contentType = 'application/json',
): void {
  check(
    `openapi#/${pointer('paths', path, method.toLowerCase(), 'requestBody', 'content', contentType, 'schema')}`,
    body,
  );
}

/** Validates a schema of `components/schemas` of the OpenAPI document. */
export function assertOpenApiSchema(name: string, data: unknown): void {
  check(`openapi#/components/schemas/${name}`, data);
}

/** Validates a server → client frame of `/ws` against the AsyncAPI `ServerEvent` message payload. */
export function assertAsyncApiServerEvent(frame: unknown): void {
  check('asyncapi#/components/messages/ServerEvent/payload', frame);
}

/** Validates a client → server frame against the AsyncAPI `ClientEvent` message payload. */
export function assertAsyncApiClientEvent(frame: unknown): void {
  check('asyncapi#/components/messages/ClientEvent/payload', frame);
}

/** Validates a `subscribed` / `unsubscribed` frame (in the server code, not in the AsyncAPI document). */
export function assertSubscriptionAck(frame: unknown): void {
  check('server-code#/definitions/SubscriptionAck', frame);
}

/** Validates one named schema of the AsyncAPI document (e.g. `MessageOut`). */
export function assertAsyncApiSchema(name: string, data: unknown): void {
  check(`asyncapi#/components/schemas/${name}`, data);
}
