import type { Request, RequestHandler } from 'express';
import { normalizePhone } from '../client/phone.js';
import { getContext, type Context } from '../context.js';
import { decryptWechatData } from '../crypto/decrypt.js';
import { WechatError } from '../errors.js';
import { optionalString, readFields } from '../http/body.js';
import { failRequest } from '../http/respond.js';
import type { WechatSessionOptions } from '../options.js';
import type { WechatSession } from '../session/handle.js';
import type { WechatPhone } from '../types.js';
import { sessionOf } from './resolve.js';

const PHONE_CODE_SHAPE = /^[\x21-\x7e]{1,256}$/;

/** Decrypt the legacy payload; on a stale key optionally ask WeChat whether the key is really dead. */
async function fromEncryptedData(ctx: Context, session: WechatSession, encryptedData: string, iv: unknown): Promise<WechatPhone> {
  let data: Record<string, unknown>;
  try {
    data = decryptWechatData(session.sessionKey, encryptedData, iv, { appId: ctx.opts.appId });
  } catch (err) {
    if (!(err instanceof WechatError) || err.code !== 'WECHAT_SESSION_KEY_MISMATCH') throw err;
    ctx.log.info({ event: 'session_key.mismatch', openid: session.openid }, 'encryptedData does not match the session_key');
    if (ctx.opts.verifySessionKey && (await ctx.client.checkSessionKey(session.openid, session.sessionKey))) {
      throw new WechatError('WECHAT_BAD_REQUEST', 'encryptedData is corrupt: the session_key is current but the data does not decrypt', { field: 'encryptedData' });
    }
    throw err;
  }
  const phone = normalizePhone(data);
  if (!phone) throw new WechatError('WECHAT_BAD_REQUEST', 'encryptedData holds no phone number', { field: 'encryptedData' });
  return phone;
}

async function phoneOf(ctx: Context, req: Request): Promise<WechatPhone> {
  const session = await sessionOf(ctx, req);
  const fields = await readFields(req, ctx.opts.bodyLimit);
  const errMsg = optionalString(fields, 'errMsg', 256);
  const encryptedData = optionalString(fields, 'encryptedData');
  const code = optionalString(fields, 'code', 256);
  if (encryptedData !== undefined) return fromEncryptedData(ctx, session, encryptedData, fields.iv);
  if (code !== undefined) {
    if (!PHONE_CODE_SHAPE.test(code)) throw new WechatError('WECHAT_BAD_REQUEST', '`code` must be the code from getPhoneNumber', { field: 'code' });
    return ctx.client.getPhoneNumber(code);
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
    phoneOf(ctx, req).then(
      (phone) => {
        req.wechat!.phone = phone;
        next();
      },
      (err: unknown) => failRequest(ctx, req, res, next, err),
    );
  };
}
