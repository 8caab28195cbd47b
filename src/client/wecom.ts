import { WechatError } from '../errors.js';
import { callWechat, type WechatHttp } from './http.js';
import { reported } from './reported.js';
import { type TokenSource, withToken } from './token-source.js';

/**
 * A WeCom member, as WeCom's jscode2session names them.
 *
 * @example
 * ```ts
 * const { corpId, userId }: WecomIdentity = await getWecomClient(wechat).code2Session(code);
 * ```
 */
export interface WecomIdentity {
  corpId: string;
  userId: string;
  sessionKey: string;
}

const SESSION_KEY_SHAPE = /^[A-Za-z0-9+/]{22}==$/;
/** A WeCom userid: 1 to 64 letters, digits, `_`, `-`, `.` or `@` (WeCom's own rule). */
const USER_ID_SHAPE = /^[A-Za-z0-9_.@-]{1,64}$/;

/**
 * WeCom's side of a mini-program opened inside WeCom (企业微信): `wx.qy.login`
 * codes exchanged with the corp's access token, which is cached and shared
 * across the fleet like a mini-program's.
 *
 * @example
 * ```ts
 * const { corpId, userId } = await getWecomClient(wechat).code2Session(code);
 * ```
 */
export class WecomClient {
  readonly corpId: string;
  readonly #http: WechatHttp;
  readonly #tokens: TokenSource;

  /** @internal Built by `wechatSession` for its `wecom` corp; use {@link getWecomClient}. */
  constructor(corpId: string, http: WechatHttp, tokens: TokenSource) {
    this.corpId = corpId;
    this.#http = http;
    this.#tokens = tokens;
  }

  /**
   * Exchange a `wx.qy.login` code at `GET /cgi-bin/miniprogram/jscode2session`
   * (a code of `wx.login` is 40029 there: 401 `WECHAT_CODE_INVALID`). An
   * answer for another corp, or without a usable userid and session_key, is
   * 502 `WECHAT_UPSTREAM_ERROR`.
   */
  code2Session(code: string): Promise<WecomIdentity> {
    return reported(this.#http, 'wecom/jscode2session', () => this.#code2Session(code));
  }

  async #code2Session(code: string): Promise<WecomIdentity> {
    const body = await withToken(this.#tokens, (token) =>
      callWechat(this.#http, {
        api: 'wecom/jscode2session',
        method: 'GET',
        path: '/cgi-bin/miniprogram/jscode2session',
        query: { access_token: token, js_code: code, grant_type: 'authorization_code' },
      }),
    );
    const { corpid, userid, session_key: sessionKey } = body;
    if (
      corpid !== this.corpId ||
      typeof userid !== 'string' ||
      !USER_ID_SHAPE.test(userid) ||
      typeof sessionKey !== 'string' ||
      !SESSION_KEY_SHAPE.test(sessionKey)
    ) {
      throw new WechatError('WECHAT_UPSTREAM_ERROR', 'WeCom jscode2session answered without a usable corpid, userid and session_key');
    }
    return { corpId: corpid, userId: userid, sessionKey };
  }

  /** The corp's access token for your own WeCom calls (cached and shared like the mini-program's). */
  getAccessToken(): Promise<string> {
    return reported(this.#http, 'gettoken', () => this.#tokens.get());
  }

  /** How many corp tokens this process fetched from WeCom. */
  get accessTokenFetches(): number {
    return this.#tokens.fetches;
  }
}
