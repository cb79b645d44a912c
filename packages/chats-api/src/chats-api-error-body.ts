import type { RequestIssue } from '@switchboard/core';
import { defineProviderErrorBody, mapErrorBody } from '@switchboard/core/http';
import * as z from 'zod';
import { mapChatsApiError } from './map-chats-api-error.js';

/** One entry of FastAPI's 422 `detail[]` (`ValidationError`). */
const validationErrorSchema = z.looseObject({
  loc: z.array(z.union([z.string(), z.number()])).optional(),
  msg: z.string().optional(),
  type: z.string().optional(),
});

/** FastAPI's 422 `detail[]` as request issues (`loc` joined with dots). */
function issuesOf(detail: z.output<typeof validationErrorSchema>[]): RequestIssue[] {
  return detail.map((entry) => {
    const issue: RequestIssue = { path: entry.loc?.join('.') ?? '', message: entry.msg || 'invalid' };
    if (entry.type !== undefined) issue.type = entry.type;
    return issue;
  });
}

/**
 * The chats API's error bodies (FastAPI): `HTTPException`'s `{ detail: "<message>" }`, and a 422's
 * `HTTPValidationError` `{ detail: [{ loc, msg, type }] }`, whose entries become the
 * `InvalidRequestError`'s `issues` (message: `path: msg; …`).
 */
export const chatsApiErrorBody = defineProviderErrorBody({
  schema: z.looseObject({ detail: z.union([z.string(), z.array(validationErrorSchema)]) }),
  message: (body) =>
    typeof body.detail === 'string'
      ? body.detail
      : issuesOf(body.detail)
          .map((issue) => `${issue.path}: ${issue.message}`)
          .join('; '),
  issues: (body) => (typeof body.detail === 'string' ? undefined : issuesOf(body.detail)),
});

/**
 * The `mapError` of the chats API's HTTP client: reads the body with {@link chatsApiErrorBody}, maps
 * it with `mapChatsApiError`, and leaves the rest to the status table.
 */
export const mapChatsApiHttpError = mapErrorBody(chatsApiErrorBody, mapChatsApiError);
