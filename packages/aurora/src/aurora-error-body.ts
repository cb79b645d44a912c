import { defineProviderErrorBody, mapErrorBody } from '@switchboard/core/http';
import { errorBodySchema } from './aurora-schemas.js';
import { mapAuroraError } from './map-aurora-error.js';

/**
 * Aurora's error body, `{ success?: false, error: <literal> }` (`errorBodySchema`): the literal is
 * both the error's `providerCode` and the message quoted in it.
 */
export const auroraErrorBody = defineProviderErrorBody({
  schema: errorBodySchema,
  message: 'error',
  code: 'error',
});

/**
 * The `mapError` of Aurora's HTTP client: reads the body with {@link auroraErrorBody}, maps its
 * literals with `mapAuroraError`, and leaves the rest to the status table.
 */
export const mapAuroraHttpError = mapErrorBody(auroraErrorBody, mapAuroraError);
