import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The query parameter that carries the webhook secret.
 *
 * Brevo signs nothing and its Conversations webhook settings take only a URL, so the shared secret
 * travels in that URL: configure `https://your.app/webhooks/brevo?token=<BREVO_WEBHOOK_SECRET>` in
 * Conversations › Settings › Integrations › Webhooks. Serve it over HTTPS only.
 */
export const BREVO_WEBHOOK_TOKEN_PARAM = 'token';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * `true` when the request URL carries `?token=<secret>`. Compares SHA-256 digests with
 * `timingSafeEqual`, so the time taken reveals neither the secret nor its length.
 */
export function hasWebhookSecret(requestUrl: string, secret: string): boolean {
  let token: string | null;
  try {
    token = new URL(requestUrl).searchParams.get(BREVO_WEBHOOK_TOKEN_PARAM);
  } catch {
    return false;
  }
  return token !== null && timingSafeEqual(digest(token), digest(secret));
}
