import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * Checks what the adapter sends against the provider's own documents (verbatim copies in `spec/`):
 * REST request bodies against the OpenAPI `requestBody` schemas, WebSocket frames against the
 * AsyncAPI `ClientEvent` payload. Test-only.
 */
const spec = (name: string) => readFileSync(new URL(`spec/${name}`, import.meta.url), 'utf8');
// OpenAPI 3.0 in name, JSON Schema in practice (FastAPI's anyOf + type "null"): plain ajv reads it.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(JSON.parse(spec('chats-api.openapi.json')), 'openapi');
ajv.addSchema(parse(spec('chats-api.asyncapi.yaml')), 'asyncapi');

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

function check(ref: string, data: unknown): void {
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  if (!validate(data)) throw new Error(`${ref}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(data)}`);
}

/** Validates a request body (`path` as templated in the document; forms as a plain object). */
export function assertRequestBody(method: string, path: string, contentType: string, body: unknown): void {
  check(
    `openapi#/${pointer('paths', path, method.toLowerCase(), 'requestBody', 'content', contentType, 'schema')}`,
    body,
  );
}

/** Validates a client → server WebSocket frame. */
export function assertClientFrame(frame: unknown): void {
  check('asyncapi#/components/messages/ClientEvent/payload', frame);
}
