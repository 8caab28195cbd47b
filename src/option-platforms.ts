/** Checks of the apps, third-party platform and WeCom corp a server speaks for. */
import { apiSecurityOf } from './option-extras.js';
import { baseUrl, fail, type Input, optionalFunction, refuseUnknown } from './option-checks.js';
import type { WechatComponentOptions, WechatWecomOptions } from './option-types.js';
import type { AppConfig, Config } from './options.js';

/** The one mini-program of the top-level `appId`/`appSecret`. */
export function singleApp(o: Input): AppConfig {
  if (typeof o.appId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(o.appId)) {
    fail('appId', "your mini-program's AppID (e.g. 'wx4f4bc4dec97d474b'; set WECHAT_APP_ID)", o.appId);
  }
  if (typeof o.appSecret !== 'string' || o.appSecret.length === 0) {
    throw new TypeError('express-wechat-session: `appSecret` must be a non-empty string (set WECHAT_APP_SECRET)');
  }
  const apiSecurity = apiSecurityOf(o.apiSecurity, 'apiSecurity');
  return { appId: o.appId, appSecret: o.appSecret, ...(apiSecurity && { apiSecurity }) };
}

/** The apps, third-party platform and WeCom corp a server speaks for. */
export function parsePlatforms(o: Input, wecomApiBaseUrl: string): Pick<Config, 'apps' | 'component' | 'authorizerAccessToken' | 'wecom'> {
  const component = parseComponent(o.component);
  const authorizerAccessToken = optionalFunction<(appId: string) => Promise<string>>(
    o,
    'authorizerAccessToken',
    'an async function (appId) returning the authorizer_access_token',
  );
  if (authorizerAccessToken && !component) fail('authorizerAccessToken', 'given only with `component`', 'a function');
  const wecom = parseWecom(o.wecom, wecomApiBaseUrl);
  let apps: AppConfig[];
  if (o.apps !== undefined) {
    if (o.apiSecurity !== undefined) fail('apiSecurity', 'given inside each `apps` entry when `apps` lists the mini-programs', 'a top-level value');
    if (o.appId !== undefined || o.appSecret !== undefined) fail('appId', 'left out when `apps` lists the mini-programs', o.appId ?? 'an appSecret');
    apps = parseApps(o.apps, component !== undefined);
  } else if (component) {
    fail('apps', 'the authorized mini-programs this server accepts, with `component`', o.apps);
  } else if (wecom && o.appId === undefined && o.appSecret === undefined) {
    apps = [];
  } else {
    apps = [singleApp(o)];
  }
  return { apps, component, authorizerAccessToken, wecom };
}

const APP_ID_SHAPE = /^wx[A-Za-z0-9]{16}$/;

function parseApps(value: unknown, componentMode: boolean): AppConfig[] {
  if (!Array.isArray(value) || value.length === 0) fail('apps', 'a non-empty array of { appId, appSecret }', value);
  const seen = new Set<string>();
  return value.map((entry: unknown, i) => {
    const { appId, appSecret, apiSecurity: security, ...rest } = (entry ?? {}) as Record<string, unknown>;
    refuseUnknown(rest, []);
    const apiSecurity = apiSecurityOf(security, `apps[${i}].apiSecurity`);
    if (typeof appId !== 'string' || !APP_ID_SHAPE.test(appId)) fail(`apps[${i}].appId`, "an AppID of WeChat's shape (wx and 16 letters or digits)", appId);
    if (seen.has(appId)) fail(`apps[${i}].appId`, 'listed once', appId);
    seen.add(appId);
    if (componentMode) {
      if (appSecret !== undefined) fail(`apps[${i}].appSecret`, 'left out with `component` (the platform logs in for the app)', 'a secret');
      return { appId, ...(apiSecurity && { apiSecurity }) };
    }
    if (typeof appSecret !== 'string' || !appSecret)
      fail(`apps[${i}].appSecret`, 'the AppSecret of that mini-program', appSecret === undefined ? undefined : 'an empty or non-string value');
    return { appId, appSecret, ...(apiSecurity && { apiSecurity }) };
  });
}

function parseComponent(value: unknown): WechatComponentOptions | undefined {
  if (value === undefined) return undefined;
  const c = value as Record<string, unknown> | null;
  if (!c || typeof c !== 'object') fail('component', 'an object { appId, accessToken }', value);
  const { appId, accessToken, ...rest } = c;
  refuseUnknown(rest, []);
  if (typeof appId !== 'string' || !APP_ID_SHAPE.test(appId)) fail('component.appId', "the platform's component AppID (wx and 16 letters or digits)", appId);
  if (typeof accessToken !== 'function') fail('component.accessToken', 'an async function returning the component_access_token', accessToken);
  return { appId, accessToken: accessToken as () => Promise<string> };
}

function parseWecom(value: unknown, fallbackUrl: string): Required<WechatWecomOptions> | undefined {
  if (value === undefined) return undefined;
  const w = value as Input | null;
  if (!w || typeof w !== 'object') fail('wecom', 'an object { corpId, corpSecret }', value);
  const { corpId, corpSecret, apiBaseUrl, ...rest } = w;
  refuseUnknown(rest, ['apiBaseUrl']);
  if (typeof corpId !== 'string' || !/^w[wx][A-Za-z0-9]{16}$/.test(corpId)) fail('wecom.corpId', "the corp's CorpID (ww and 16 letters or digits)", corpId);
  if (typeof corpSecret !== 'string' || !corpSecret) throw new TypeError('express-wechat-session: `wecom.corpSecret` must be a non-empty string');
  return { corpId, corpSecret, apiBaseUrl: baseUrl(w, 'apiBaseUrl', fallbackUrl) };
}
