import type { Hono } from 'hono';
import { auroraErrorText } from './aurora-error-bodies.js';
import { type AuroraApiVersion, type AuroraEnv, fail, jsonObject, requireToken } from './aurora-http.js';
import type { AuroraStore } from './aurora-store.js';

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** `POST /login`, `POST /signup`, and (v11) `GET /user/info`, `GET /user/quota`. */
export function registerAuroraUserRoutes(
  app: Hono<AuroraEnv>,
  store: AuroraStore,
  version: AuroraApiVersion,
) {
  app.post('/login', async (c) => {
    const body = await jsonObject(c);
    if (!isText(body?.username) || !isText(body.password)) return fail(c, 400, auroraErrorText.badRequest);
    const accessToken = store.login(body.username, body.password);
    if (accessToken === undefined) return fail(c, 401, auroraErrorText.authenticationFailed);
    return c.json({ success: true, accessToken });
  });

  app.post('/signup', async (c) => {
    const body = await jsonObject(c);
    if (!isText(body?.username) || !isText(body.email) || !isText(body.password))
      return fail(c, 400, auroraErrorText.badRequest);
    // v5 declares `SignupFailedRequest` for a taken username or email; v11's signup declares only
    // the generic 400 (`DefaultBadRequest`).
    if (store.isTaken(body.username, body.email))
      return fail(c, 400, version === 'v5' ? auroraErrorText.signupFailed : auroraErrorText.badRequest);
    store.addUser({ username: body.username, email: body.email, password: body.password });
    return c.json({ success: true, accessToken: store.issueToken(body.username) });
  });

  if (version === 'v5') return;
  const auth = requireToken(store);

  app.get('/user/info', auth, (c) => {
    const { username, email } = c.get('user');
    return c.json({ success: true, username, email, autoExecuteTts: false });
  });

  app.get('/user/quota', auth, (c) => {
    const { quotaUsed, quotaMax } = c.get('user');
    return c.json({
      success: true,
      quotaUsed,
      quotaMax,
      ttsUsed: 0,
      ttsMax: 0,
      planName: 'Emulator',
      isChristy: false,
    });
  });
}
