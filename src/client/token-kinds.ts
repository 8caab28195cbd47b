import { WechatError } from '../errors.js';
import type { AccessTokenMode } from '../options/types.js';
import type { FetchedToken, TokenKind } from './access-token.js';
import { callWechat, type WechatHttp, type WechatJson } from './http.js';

function fetched(api: string, body: WechatJson): FetchedToken {
  const token = body.access_token;
  const expiresIn = Number(body.expires_in);
  if (typeof token !== 'string' || !token || !(expiresIn > 0)) {
    throw new WechatError('WECHAT_UPSTREAM_ERROR', `WeChat ${api} answered without an access_token`);
  }
  return { token, expiresIn };
}

/**
 * A mini-program's access_token, from its AppSecret (held in this closure
 * only): `POST /cgi-bin/stable_token` (`stable`) or `GET /cgi-bin/token`
 * (`classic`). Shared under `<appId>:at:<mode>`.
 */
export function appTokens(http: WechatHttp, app: { appId: string; appSecret: string; mode: AccessTokenMode }): TokenKind {
  const { appId, appSecret, mode } = app;
  return {
    key: `${appId}:at:${mode}`,
    async fetch(forceRefresh) {
      if (mode === 'classic') {
        const query = { grant_type: 'client_credential', appid: appId, secret: appSecret };
        return fetched('token', await callWechat(http, { api: 'token', method: 'GET', path: '/cgi-bin/token', query }));
      }
      const body = { grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: forceRefresh };
      return fetched('stable_token', await callWechat(http, { api: 'stable_token', method: 'POST', path: '/cgi-bin/stable_token', body }));
    },
  };
}

/** errcodes of WeCom for a corp token that is invalid or expired (40001 there means a wrong secret). */
const CORP_TOKEN_STALE: ReadonlySet<number> = new Set([40014, 42001]);

/**
 * A WeCom corp's access_token, from the secret of the WeCom app the
 * mini-program is linked to: `GET /cgi-bin/gettoken` on WeCom's API. Shared
 * under `<corpId>:ct`.
 */
export function corpTokens(http: WechatHttp, corp: { corpId: string; corpSecret: string }): TokenKind {
  const { corpId, corpSecret } = corp;
  return {
    key: `${corpId}:ct`,
    staleErrcodes: CORP_TOKEN_STALE,
    async fetch() {
      const query = { corpid: corpId, corpsecret: corpSecret };
      return fetched('gettoken', await callWechat(http, { api: 'gettoken', method: 'GET', path: '/cgi-bin/gettoken', query }));
    },
  };
}
