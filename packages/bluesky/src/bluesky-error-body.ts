import { defineProviderErrorBody, mapErrorBody } from '@switchboard/core/http';
import * as z from 'zod';
import { mapBlueskyError } from './map-bluesky-error.js';

/**
 * The XRPC error body, of every non-2xx answer: `{ error: <Name>, message?: <human text> }` (e.g.
 * `{"error":"ExpiredToken","message":"Token has expired"}`). `error` becomes the error's
 * `providerCode`, `message` is quoted in its message.
 */
export const blueskyErrorBody = defineProviderErrorBody({
  schema: z.looseObject({ error: z.string(), message: z.string().optional() }),
  message: 'message',
  code: 'error',
});

/**
 * The `mapError` of Bluesky's HTTP clients: reads the body with {@link blueskyErrorBody}, maps it
 * with `mapBlueskyError`, and leaves the rest to the status table.
 */
export const mapBlueskyHttpError = mapErrorBody(blueskyErrorBody, mapBlueskyError);
