import type { Request, RequestHandler } from 'express';
import { normalizePhone } from '../client/phone.js';
import { decryptWechatData } from '../crypto/decrypt.js';
import { WechatError } from '../errors.js';
import { contextOf, type WechatSessionContext } from '../context/wechat-session.js';
import { optionalString, readFields } from '../http/body.js';
import { middleware } from '../http/middleware.js';
import { debugEnabled, errorFields, maskPhone } from '../log.js';
import type { WechatSessionOptions } from '../options/types.js';
import type { WechatSession } from '../session/handle.js';
import { SessionKeyVerdicts } from '../session/session-key-verdicts.js';
import { renewAfterUse, sessionOf } from '../session/session-of.js';
import type { WechatPhone } from '../types.js';

const PHONE_CODE_SHAPE = /^[\x21-\x7e]{1,256}$/;

/** WeChat's word on the session_key; when WeChat cannot be asked, the key is taken for dead (log in again). */
async function sessionKeyIsLive(ctx: WechatSessionContext, session: WechatSession): Promise<boolean> {
  try {
    return await ctx.app(session.appId).client.checkSessionKey(session.openid, session.sessionKey);
  } catch (err) {
    ctx.log.warn({ event: 'session_key.check_failed', openid: session.openid, ...errorFields(err) }, 'checksession failed');
    return false;
  }
}

/**
 * Decrypt the legacy payload. On a stale key the mismatch is reported, and
 * with `verifySessionKey` WeChat is asked whether the key is really dead:
 * both at most once per session per verdict window.
 */
async function fromEncryptedData(
  ctx: WechatSessionContext,
  verdicts: SessionKeyVerdicts,
  session: WechatSession,
  encryptedData: string,
  iv: unknown,
): Promise<WechatPhone> {
  let data: Record<string, unknown>;
  try {
    data = decryptWechatData(session.sessionKey, encryptedData, iv, { appId: session.appId });
  } catch (err) {
    if (!(err instanceof WechatError) || err.code !== 'WECHAT_SESSION_KEY_MISMATCH') throw err;
    const live = await verdicts.of(session, async () => {
      ctx.emit('sessionKeyMismatch', { openid: session.openid, flow: 'phone' });
      return ctx.config.verifySessionKey ? sessionKeyIsLive(ctx, session) : false;
    });
    if (live) {
      throw new WechatError(
        'WECHAT_BAD_REQUEST',
        'encryptedData was not made with the current session_key (stale or corrupt data): ask the user to tap the phone button again',
        { field: 'encryptedData' },
      );
    }
    throw err;
  }
  const phone = normalizePhone(data);
  if (!phone) throw new WechatError('WECHAT_BAD_REQUEST', 'encryptedData holds no phone number', { field: 'encryptedData' });
  if (ctx.config.checkEncryptedPhone && !(await ctx.app(session.appId).client.checkEncryptedData(encryptedData)).valid) {
    throw new WechatError(
      'WECHAT_BAD_REQUEST',
      'WeChat did not produce this encryptedData (or not in the last 3 days): ask the user to tap the phone button again',
      { field: 'encryptedData' },
    );
  }
  return phone;
}

async function phoneOf(ctx: WechatSessionContext, verdicts: SessionKeyVerdicts, req: Request): Promise<WechatPhone> {
  const session = await sessionOf(ctx, req, false); // renewed only once the phone number is read
  if (session.corpId !== undefined) {
    throw new WechatError('WECHAT_BAD_REQUEST', "A WeCom member's phone number is WeCom's to give (its member API), not the mini-program's", { field: 'code' });
  }
  const fields = await readFields(req, ctx.config.body.limit, ctx.config.body.timeout);
  const errMsg = optionalString(fields, 'errMsg', 256);
  const encryptedData = optionalString(fields, 'encryptedData');
  const code = optionalString(fields, 'code', 256);
  if (encryptedData !== undefined) return fromEncryptedData(ctx, verdicts, session, encryptedData, fields.iv);
  if (code !== undefined) {
    if (!PHONE_CODE_SHAPE.test(code)) throw new WechatError('WECHAT_BAD_REQUEST', '`code` must be the code from getPhoneNumber', { field: 'code' });
    return ctx.app(session.appId).client.getPhoneNumber(code, ctx.config.bindPhoneCode ? { openid: session.openid } : {});
  }
  if (errMsg !== undefined && !errMsg.endsWith(':ok')) {
    throw new WechatError('WECHAT_PERMISSION_DENIED', 'The user did not grant the phone number');
  }
  throw new WechatError('WECHAT_BAD_REQUEST', 'Send `code` (new flow) or `encryptedData` and `iv` (legacy flow)', { field: 'code' });
}

/**
 * Get the user's phone number from a getPhoneNumber result: `{ code }` (new
 * flow, redeemed with WeChat, bound to the session's openid unless
 * `bindPhoneCode` is false) or `{ encryptedData, iv }` (legacy flow,
 * decrypted with the session's session_key). Sets `req.wechat.phone`.
 * A stale session_key answers 401 `WECHAT_SESSION_KEY_MISMATCH` and leaves
 * the session as it was.
 *
 * @example
 * ```ts
 * app.post('/api/phone', decryptPhone(wechat), wechatHandler((req, res) => res.json(req.wechat.phone)));
 * ```
 */
export function decryptPhone(wechat: WechatSessionContext | WechatSessionOptions): RequestHandler {
  const ctx = contextOf(wechat);
  const verdicts = new SessionKeyVerdicts();
  return middleware(
    'decryptPhone',
    ctx,
    async (req) => {
      const phone = await phoneOf(ctx, verdicts, req);
      await renewAfterUse(ctx, req);
      req.wechat!.phone = phone;
      if (debugEnabled(ctx.log)) {
        ctx.log.debug({ event: 'phone', openid: req.wechat!.openid, phone: maskPhone(phone.purePhoneNumber) }, 'phone number read');
      }
    },
    { noStore: true },
  );
}
