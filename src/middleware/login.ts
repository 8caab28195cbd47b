import type { Request, RequestHandler } from 'express';
import { getContext, type Context } from '../context.js';
import { decodeCiphertext, decodeKey16 } from '../crypto/base64.js';
import { decryptWechatData } from '../crypto/decrypt.js';
import { verifyUserSignature } from '../crypto/signature.js';
import { WechatError } from '../errors.js';
import { optionalString, readFields, stringField, type Fields } from '../http/body.js';
import { failRequest } from '../http/respond.js';
import type { WechatSessionOptions } from '../options.js';
import type { WechatSession } from '../session/handle.js';
import type { SharedLogin } from '../session/login-coalescer.js';
import type { Identity } from '../session/manager.js';
import type { WechatUserInfo } from '../types.js';

/** A wx.login code: printable ASCII, no spaces. Real ones are 32 characters. */
const CODE_SHAPE = /^[\x21-\x7e]{1,128}$/;

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

function exchange(ctx: Context, code: string, arrivedAt: number): Promise<SharedLogin> {
  return ctx.logins.run(code, arrivedAt, () => ctx.client.code2Session(code).then((identity): SharedLogin => ({ identity })));
}

/** The code's session, created by the first request that gets this far (the others share it). */
function sessionFor(ctx: Context, shared: SharedLogin, arrivedAt: number): Promise<WechatSession> {
  shared.session ??= ctx.sessions.create(shared.identity).then((session) => {
    const { openid, unionid } = shared.identity;
    ctx.emit('login', { openid, ...(unionid !== undefined && { unionid }), ms: Math.round(performance.now() - arrivedAt) });
    return session;
  });
  return shared.session;
}

/** Check the legacy getUserInfo fields against the session_key WeChat just gave (before any session exists). */
function userInfoOf(ctx: Context, identity: Identity, legacy: LegacyUserInfo): WechatUserInfo | undefined {
  if (legacy.rawData !== undefined && !verifyUserSignature(legacy.rawData, legacy.signature!, identity.sessionKey)) {
    throw new WechatError(
      'WECHAT_SIGNATURE_INVALID',
      'The user data signature does not match: call wx.login first, then getUserInfo, and send both together',
      { field: 'signature' },
    );
  }
  if (legacy.encryptedData !== undefined) {
    try {
      return decryptWechatData<WechatUserInfo>(identity.sessionKey, legacy.encryptedData, legacy.iv, { appId: ctx.opts.appId });
    } catch (err) {
      if (err instanceof WechatError && err.code === 'WECHAT_SESSION_KEY_MISMATCH') ctx.emit('sessionKeyMismatch', { openid: identity.openid, flow: 'userInfo' });
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
 */
async function login(ctx: Context, req: Request, arrivedAt: number): Promise<WechatSession> {
  const fields = await readFields(req, ctx.opts.bodyLimit, ctx.opts.bodyTimeout);
  const code = stringField(fields, 'code', CODE_SHAPE, 'the code from wx.login');
  const legacy = legacyFields(fields);
  const shared = await exchange(ctx, code, arrivedAt);
  const userInfo = userInfoOf(ctx, shared.identity, legacy);
  const session = ctx.sessions.copy(await sessionFor(ctx, shared, arrivedAt));
  if (userInfo) session.userInfo = userInfo;
  return session;
}

/**
 * Exchange the `code` of `wx.login` (JSON or form body) for a session: sets
 * `req.wechat` (with the new `token`) and calls `next()`. Concurrent
 * requests with one code share one exchange and one session.
 *
 * @example
 * ```ts
 * app.post('/login', wechatLogin(wechat), (req, res) => res.json({ token: req.wechat!.token }));
 * ```
 */
export function wechatLogin(options: WechatSessionOptions): RequestHandler {
  const ctx = getContext(options);
  return function wechatLogin(req, res, next) {
    const started = performance.now();
    login(ctx, req, started).then(
      (session) => {
        req.wechat = session;
        res.setHeader('Cache-Control', 'no-store');
        next();
      },
      (err: unknown) => failRequest(ctx, req, res, next, err, started),
    );
  };
}
