import type { ApiSecurityKeys } from '../crypto/api-security-keys.js';
import { openAnswer, sealRequest, UnverifiedAnswer } from '../crypto/api-security.js';
import { WechatError } from '../errors.js';
import type { WechatLogger } from '../log.js';
import { callWechat, type CallEnvelope, parseAnswer, type WechatCall, type WechatHttp, type WechatJson } from './http.js';

/** One app's API security: its keys and the clock that stamps requests and judges answers. */
export class ApiSecurity {
  readonly #keys: ApiSecurityKeys;
  readonly #now: () => number;

  constructor(keys: ApiSecurityKeys, now: () => number) {
    this.#keys = keys;
    this.#now = now;
  }

  /** The envelope of one call: its parameters sealed per attempt, each answer verified and opened. */
  envelope(appId: string, api: string, params: Record<string, unknown>, log: WechatLogger): CallEnvelope {
    const keys = this.#keys;
    const seconds = (): number => Math.floor(this.#now() / 1000);
    return {
      seal: (urlpath) => sealRequest(keys, { urlpath, appId, params, timestamp: seconds() }),
      open: (urlpath, headers, text) => {
        try {
          return openAnswer(keys, { urlpath, appId, headers, text, nowSeconds: seconds() });
        } catch (err) {
          if (!(err instanceof UnverifiedAnswer)) throw err;
          const refusal = unsignedRefusal(api, headers, text);
          if (refusal) return refusal;
          log.warn({ event: 'wechat.answer_unverified', api, reason: err.reason, detail: err.message }, 'WeChat answer refused: it did not verify');
          throw new WechatError('WECHAT_UPSTREAM_ERROR', `WeChat ${api}: ${err.message}`);
        }
      },
    };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'ApiSecurity { … }';
  }
}

/**
 * An unsigned error answer (`{errcode, errmsg}` with errcode other than 0,
 * no envelope), which WeChat sends when it refused the request itself, e.g.
 * 40234 for a signature it does not accept. Taken as the error it says:
 * it can only fail the call, never hand over data.
 */
function unsignedRefusal(api: string, headers: Headers, text: string): WechatJson | undefined {
  if (headers.get('wechatmp-signature')) return undefined;
  let json: WechatJson;
  try {
    json = parseAnswer(api, 200, text);
  } catch {
    return undefined;
  }
  const errcode = Number(json.errcode ?? 0);
  return errcode !== 0 && Number.isFinite(errcode) && json.data === undefined ? json : undefined;
}

/**
 * Call an API that supports API security: as it is without `security`;
 * with it, every parameter but access_token moves into the encrypted body
 * (`_n`, `_appid`, `_timestamp` added), the body is signed, and the answer
 * is verified with the platform key and decrypted. An answer that does not
 * verify is 502 `WECHAT_UPSTREAM_ERROR`; WeChat's 40234 (signature refused)
 * is 502 `WECHAT_UPSTREAM_ERROR` with that errcode.
 */
export function callSigned(
  { http, security, appId }: { http: WechatHttp; security: ApiSecurity | undefined; appId: string },
  call: WechatCall,
): Promise<WechatJson> {
  if (!security) return callWechat(http, call);
  const { access_token: accessToken, ...queryParams } = call.query ?? {};
  const bodyParams = call.body && typeof call.body === 'object' ? (call.body as Record<string, unknown>) : {};
  const envelope = security.envelope(appId, call.api, { ...queryParams, ...bodyParams }, http.log);
  return callWechat(http, { ...call, method: 'POST', query: accessToken === undefined ? {} : { access_token: accessToken }, body: undefined, envelope });
}
