import type { Request, RequestHandler, Response } from 'express';
import { decodeCiphertext, decodeKey16 } from '../crypto/base64.js';
import { decryptWechatData } from '../crypto/decrypt.js';
import { verifyUserSignature } from '../crypto/signature.js';
import { WechatError } from '../errors.js';
import { contextOf, type WechatSessionContext } from '../context/wechat-session.js';
import { type Fields, optionalString } from '../http/body.js';
import { middleware } from '../http/middleware.js';
import { parseJsonObject } from '../json.js';
import { riskOf } from '../login/risk-rank.js';
import { readLoginCode, startSession } from '../login/start.js';
import type { LoginInfo } from '../options/login-types.js';
import type { WechatSessionOptions } from '../options/types.js';
import type { SharedLogin } from '../session/login-coalescer.js';
import type { Identity } from '../session/manager.js';
import type { WechatUserInfo } from '../types.js';

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
  if (legacy.rawData === undefined) return undefined;
  const userInfo = parseJsonObject(legacy.rawData);
  if (!userInfo) throw new WechatError('WECHAT_BAD_REQUEST', '`rawData` is not a JSON object', { field: 'rawData' });
  return userInfo;
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
  const { code, fields } = await readLoginCode(ctx, req, 'the code from wx.login');
  const legacy = legacyFields(fields);
  const shared = await ctx.logins.run(`${app.appId}:${code}`, async (): Promise<SharedLogin & { info: LoginInfo }> => {
    const identity = await app.client.code2Session(code);
    const risk = await riskOf(ctx, app, identity.openid, req);
    return { identity, info: risk ? { riskRank: risk.riskRank, ...(risk.unionId !== undefined && { riskUnionId: risk.unionId }) } : {} };
  });
  const userInfo = userInfoOf(ctx, app.appId, shared.identity, legacy);
  const session = await startSession(ctx, app.sessions, shared, req, res, arrivedAt);
  if (userInfo) session.userInfo = userInfo;
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
