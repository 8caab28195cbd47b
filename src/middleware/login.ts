import type { Request, RequestHandler, Response } from 'express';
import { decodeCiphertext, decodeKey16 } from '../crypto/base64.js';
import { decryptWechatData } from '../crypto/decrypt.js';
import { verifyUserSignature } from '../crypto/signature.js';
import { WechatError } from '../errors.js';
import { optionalString, readFields, stringField, type Fields } from '../http/body.js';
import { AppFailure, middleware } from '../http/respond.js';
import type { LoginInfo, WechatSessionOptions } from '../options.js';
import type { CreatedSession, SharedLogin } from '../session/login-coalescer.js';
import type { Identity, SessionManager } from '../session/manager.js';
import type { WechatUserInfo } from '../types.js';
import { contextOf, type WechatSessionContext } from '../wechat-session.js';
import { riskOf } from './risk-rank.js';

/**
 * The shape a `wx.login` code can have: 10 to 128 letters, digits, `_` or
 * `-` (WeChat's are 32 letters and digits). Anything else is refused with
 * 400 before it reaches WeChat, so garbage spends neither a WeChat call nor
 * the AppID's quota.
 */
export const CODE_SHAPE = /^[A-Za-z0-9_-]{10,128}$/;

interface LegacyUserInfo {
  rawData?: string;
  signature?: string;
  encryptedData?: string;
  iv?: string;
}

/** Check the shape of the legacy getUserInfo fields before the code is spent. */
function legacyFields(fields: Fields): LegacyUserInfo {
  const legacy: LegacyUserInfo = {
    rawData: optionalString(fields, 'rawData'),
    signature: optionalString(fields, 'signature', 64),
    encryptedData: optionalString(fields, 'encryptedData'),
    iv: optionalString(fields, 'iv', 64),
  };
  if ((legacy.rawData === undefined) !== (legacy.signature === undefined)) {
    throw new WechatError('WECHAT_BAD_REQUEST', '`rawData` and `signature` come together', { field: legacy.rawData ? 'signature' : 'rawData' });
  }
  if ((legacy.encryptedData === undefined) !== (legacy.iv === undefined)) {
    throw new WechatError('WECHAT_BAD_REQUEST', '`encryptedData` and `iv` come together', { field: legacy.iv ? 'encryptedData' : 'iv' });
  }
  if (legacy.encryptedData !== undefined) {
    decodeCiphertext(legacy.encryptedData, 'encryptedData');
    decodeKey16(legacy.iv, 'iv');
  }
  return legacy;
}

/**
 * The code's session, created by the first request that gets this far (the
 * others share it), then handed to the app's `onLogin`. A hook that fails
 * ends the session it was given.
 */
export function sessionFor(
  ctx: WechatSessionContext,
  sessions: SessionManager,
  shared: SharedLogin & { info?: LoginInfo },
  req: Request,
  arrivedAt: number,
): Promise<CreatedSession> {
  shared.session ??= (async (): Promise<CreatedSession> => {
    const session = await sessions.create(shared.identity);
    const { openid, unionid } = shared.identity;
    ctx.emit('login', { openid, ...(unionid !== undefined && { unionid }), ms: Math.round(performance.now() - arrivedAt) });
    const hook = ctx.config.onLogin;
    if (!hook) return { session };
    try {
      const answer = await hook(session, req, { ...shared.info });
      return { session, answer: answer ?? undefined };
    } catch (err) {
      await session.destroy().catch(() => undefined);
      throw new AppFailure(err);
    }
  })();
  return shared.session;
}

/** Check the legacy getUserInfo fields against the session_key WeChat just gave (before any session exists). */
function userInfoOf(ctx: WechatSessionContext, appId: string, identity: Identity, legacy: LegacyUserInfo): WechatUserInfo | undefined {
  if (legacy.rawData !== undefined && !verifyUserSignature(legacy.rawData, legacy.signature!, identity.sessionKey)) {
    throw new WechatError('WECHAT_SIGNATURE_INVALID', 'The user data signature does not match: call wx.login first, then getUserInfo, and send both together', {
      field: 'signature',
    });
  }
  if (legacy.encryptedData !== undefined) {
    try {
      return decryptWechatData<WechatUserInfo>(identity.sessionKey, legacy.encryptedData, legacy.iv, { appId });
    } catch (err) {
      if (err instanceof WechatError && err.code === 'WECHAT_SESSION_KEY_MISMATCH')
        ctx.emit('sessionKeyMismatch', { openid: identity.openid, flow: 'userInfo' });
      throw err;
    }
  }
  if (legacy.rawData !== undefined) {
    try {
      return JSON.parse(legacy.rawData) as WechatUserInfo;
    } catch {
      throw new WechatError('WECHAT_BAD_REQUEST', '`rawData` is not JSON', { field: 'rawData' });
    }
  }
  return undefined;
}

/**
 * Read the code, exchange it (shared with concurrent requests carrying it),
 * check this request's legacy fields, and only then start the session: a
 * request whose fields fail creates nothing and ends no earlier session.
 * Sets `req.wechat`, and `res.locals.wechatLogin` to what `onLogin` added.
 */
async function login(ctx: WechatSessionContext, req: Request, res: Response): Promise<void> {
  const arrivedAt = performance.now();
  const app = ctx.appFor(req);
  const fields = await readFields(req, ctx.config.body.limit, ctx.config.body.timeout);
  const code = stringField(fields, 'code', CODE_SHAPE, 'the code from wx.login');
  const legacy = legacyFields(fields);
  const shared = await ctx.logins.run(`${app.appId}:${code}`, async (): Promise<SharedLogin & { info: LoginInfo }> => {
    const identity = await app.client.code2Session(code);
    const risk = await riskOf(ctx, app, identity.openid, req);
    return { identity, info: risk ? { riskRank: risk.riskRank, ...(risk.unionId !== undefined && { riskUnionId: risk.unionId }) } : {} };
  });
  const userInfo = userInfoOf(ctx, app.appId, shared.identity, legacy);
  const created = await sessionFor(ctx, app.sessions, shared, req, arrivedAt);
  const session = app.sessions.copy(created.session);
  if (userInfo) session.userInfo = userInfo;
  req.wechat = session;
  if (created.answer) res.locals.wechatLogin = created.answer;
}

/**
 * Exchange the `code` of `wx.login` (JSON or form body) for a session: sets
 * `req.wechat` (with the new `token`) and calls `next()`. Concurrent
 * requests with one code share one exchange and one session; the app's
 * `onLogin` runs once per session, before the answer.
 *
 * @example
 * ```ts
 * app.post('/login', wechatLogin(wechat), wechatHandler((req, res) => res.json({ token: req.wechat.token })));
 * ```
 */
export function wechatLogin(wechat: WechatSessionContext | WechatSessionOptions): RequestHandler {
  const ctx = contextOf(wechat);
  return middleware('wechatLogin', ctx, (req, res) => login(ctx, req, res), { noStore: true });
}
