import type { Request, RequestHandler } from 'express';
import { normalizePhone } from '../client/phone.js';
import { getContext, type Context } from '../context.js';
import { decryptWechatData } from '../crypto/decrypt.js';
import { WechatError } from '../errors.js';
import { optionalString, readFields } from '../http/body.js';
import { failRequest } from '../http/respond.js';
import { debugEnabled, errorFields, maskPhone } from '../log.js';
import type { WechatSessionOptions } from '../options.js';
import { WechatSession } from '../session/handle.js';
import type { WechatPhone } from '../types.js';
import { renewAfterUse, sessionNow } from './resolve.js';

const PHONE_CODE_SHAPE = /^[\x21-\x7e]{1,256}$/;

/** WeChat's word on the session_key; when WeChat cannot be asked, the key is taken for dead (log in again). */
async function sessionKeyIsLive(ctx: Context, session: WechatSession): Promise<boolean> {
  try {
    return await ctx.client.checkSessionKey(session.openid, session.sessionKey);
  } catch (err) {
    ctx.log.warn({ event: 'session_key.check_failed', openid: session.openid, ...errorFields(err) }, 'checksession failed');
    return false;
  }
}

/** Decrypt the legacy payload; on a stale key optionally ask WeChat whether the key is really dead. */
async function fromEncryptedData(ctx: Context, session: WechatSession, encryptedData: string, iv: unknown): Promise<WechatPhone> {
  let data: Record<string, unknown>;
  try {
    data = decryptWechatData(session.sessionKey, encryptedData, iv, { appId: ctx.opts.appId });
  } catch (err) {
    if (!(err instanceof WechatError) || err.code !== 'WECHAT_SESSION_KEY_MISMATCH') throw err;
    ctx.emit('sessionKeyMismatch', { openid: session.openid, flow: 'phone' });
    if (ctx.opts.verifySessionKey && (await sessionKeyIsLive(ctx, session))) {
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
  return phone;
}

async function phoneOf(ctx: Context, req: Request): Promise<WechatPhone> {
  const found = sessionNow(ctx, req, false); // renewed only once the lookup succeeded
  const session = found instanceof WechatSession ? found : await found;
  const fields = await readFields(req, ctx.opts.bodyLimit, ctx.opts.bodyTimeout);
  const errMsg = optionalString(fields, 'errMsg', 256);
  const encryptedData = optionalString(fields, 'encryptedData');
  const code = optionalString(fields, 'code', 256);
  if (encryptedData !== undefined) return fromEncryptedData(ctx, session, encryptedData, fields.iv);
  if (code !== undefined) {
    if (!PHONE_CODE_SHAPE.test(code)) throw new WechatError('WECHAT_BAD_REQUEST', '`code` must be the code from getPhoneNumber', { field: 'code' });
    return ctx.client.getPhoneNumber(code, ctx.opts.bindPhoneCode ? { openid: session.openid } : {});
  }
  if (errMsg !== undefined && !errMsg.endsWith(':ok')) {
    throw new WechatError('WECHAT_PERMISSION_DENIED', 'The user did not grant the phone number');
  }
  throw new WechatError('WECHAT_BAD_REQUEST', 'Send `code` (new flow) or `encryptedData` and `iv` (legacy flow)', { field: 'code' });
}

/**
 * Get the user's phone number from a getPhoneNumber result: `{ code }` (new
 * flow, redeemed with WeChat) or `{ encryptedData, iv }` (legacy flow,
 * decrypted with the session's session_key). Sets `req.wechat.phone`.
 * A stale session_key answers 401 `WECHAT_SESSION_KEY_MISMATCH` and leaves
 * the session as it was.
 *
 * @example
 * ```ts
 * app.post('/api/phone', decryptPhone(wechat), (req, res) => res.json(req.wechat!.phone));
 * ```
 */
export function decryptPhone(options: WechatSessionOptions): RequestHandler {
  const ctx = getContext(options);
  return function decryptPhone(req, res, next) {
    const started = performance.now();
    const keep = (phone: WechatPhone): void => {
      req.wechat!.phone = phone;
      res.setHeader('Cache-Control', 'no-store');
      if (debugEnabled(ctx.log)) {
        ctx.log.debug({ event: 'phone', openid: req.wechat!.openid, phone: maskPhone(phone.purePhoneNumber) }, 'phone number read');
      }
    };
    phoneOf(ctx, req)
      .then((phone) => {
        const renewing = renewAfterUse(ctx, req);
        return renewing ? renewing.then(() => keep(phone)) : keep(phone);
      })
      .then(
        () => next(),
        (err: unknown) => failRequest(ctx, req, res, next, err, started),
      );
  };
}
