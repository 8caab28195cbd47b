import type { ClientContext } from './context.js';
import { type ClientErrorCode, MiniProgramClientError, responseError, serverError } from './errors.js';
import { isSessionRefused, sendWithSession } from './request.js';
import type { SessionKeeper } from './session.js';
import { isOk, send } from './transport.js';
import type { MiniProgramClient, PhoneNumber, PhoneNumberDetail, PhoneOptions, WxRequestResult } from './types.js';

/** What WeChat's `errno` on a phone button means; none of these reach the server. */
const REFUSALS: Record<string, [ClientErrorCode, string]> = {
  1400001: ['WECHAT_PHONE_QUOTA_EXHAUSTED', "The phone button's paid quota is spent"],
  104: ['WECHAT_PRIVACY_NOT_AUTHORIZED', 'The user has not agreed to the privacy guideline'],
  112: ['WECHAT_PRIVACY_NOT_DECLARED', 'The privacy guideline does not declare the phone number'],
};

/** The `getPhoneNumber()` of a client (it takes `getRealtimePhoneNumber`'s detail alike). */
export function createGetPhoneNumber(ctx: ClientContext, sessions: SessionKeeper): MiniProgramClient['getPhoneNumber'] {
  return async function getPhoneNumber(detail: PhoneNumberDetail, options?: PhoneOptions): Promise<PhoneNumber> {
    const url = options?.path ? options.path : ctx.phonePath;
    const errMsg = detail && typeof detail.errMsg === 'string' ? detail.errMsg : '';
    const refused = detail ? REFUSALS[String(detail.errno)] : undefined;
    if (refused) throw new MiniProgramClientError(refused[0], refused[1], 0, errMsg);
    if (!/:ok$/.test(errMsg)) {
      throw new MiniProgramClientError('WECHAT_PERMISSION_DENIED', 'The phone number was not granted', 0, errMsg);
    }
    if (typeof detail.code === 'string' && detail.code !== '') {
      const result = await sendWithSession(ctx, sessions, { url, method: 'POST', data: { code: detail.code } });
      return answer(result);
    }
    if (typeof detail.encryptedData !== 'string' || typeof detail.iv !== 'string') {
      throw new MiniProgramClientError('WECHAT_BAD_REQUEST', 'The phone detail has neither code nor encryptedData and iv');
    }
    return legacy(ctx, sessions, url, { encryptedData: detail.encryptedData, iv: detail.iv });
  };
}

/**
 * The legacy flow. The ciphertext only opens with the session_key the server
 * holds for the current session, so nothing here may call `wx.login` before
 * sending it (a login already under way is awaited: its key may be the one);
 * a new login afterwards only prepares the user's next tap.
 */
async function legacy(ctx: ClientContext, sessions: SessionKeeper, url: string, data: { encryptedData: string; iv: string }): Promise<PhoneNumber> {
  const inFlight = sessions.inFlight();
  const session = inFlight ? await inFlight : ctx.storage.read();
  if (!session) {
    await sessions.login(true);
    throw retryError(0);
  }
  const result = await send(ctx, { url, method: 'POST', data }, session.token);
  if (isOk(result)) return answer(result);
  if (isSessionRefused(result) || isKeyMismatch(result)) {
    await sessions.renewAfter(session.token);
    throw retryError(result.statusCode);
  }
  throw responseError(result);
}

function isKeyMismatch(result: WxRequestResult): boolean {
  const error = serverError(result);
  return error !== null && error.code === 'WECHAT_SESSION_KEY_MISMATCH';
}

function retryError(status: number): MiniProgramClientError {
  return new MiniProgramClientError('WECHAT_PHONE_RETRY', 'The session was renewed; ask the user to tap the phone number button again', status);
}

function answer(result: WxRequestResult): PhoneNumber {
  if (!isOk(result)) throw responseError(result);
  return result.data as PhoneNumber;
}
