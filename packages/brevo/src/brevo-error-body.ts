import { defineProviderErrorBody, mapErrorBody } from '@switchboard/core/http';
import * as z from 'zod';
import { mapBrevoError } from './map-brevo-error.js';

/**
 * Brevo's `ErrorModel`, the body of every non-2xx answer: `{ code, message }` (e.g.
 * `{"code":"unauthorized","message":"authentication not found in headers"}`). `code` becomes the
 * error's `providerCode`, `message` is quoted in its message.
 */
export const brevoErrorBody = defineProviderErrorBody({
  schema: z.looseObject({ code: z.string(), message: z.string() }),
  message: 'message',
  code: 'code',
});

/**
 * The `mapError` of Brevo's HTTP client: reads the body with {@link brevoErrorBody}, maps the codes
 * `mapBrevoError` knows, and leaves the rest to the status table.
 */
export const mapBrevoHttpError = mapErrorBody(brevoErrorBody, mapBrevoError);
