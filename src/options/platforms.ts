/** Checks of the apps, third-party platform and WeCom corp a server speaks for. */
import { ApiSecurityKeys } from '../crypto/api-security-keys.js';
import { baseUrl, Description, fail, type Input, nestedObject, optionalFunction, secret } from './checks.js';
import type { AppConfig, PlatformConfig } from './config.js';
import type { WechatComponentOptions, WechatWecomOptions } from './platform-types.js';

const APP_ID_SHAPE = /^wx[A-Za-z0-9]{16}$/;

/** The app's API security keys, when its `apiSecurity` is set; `name` is the option's path. */
function apiSecurityOf(value: unknown, name: string): ApiSecurityKeys | undefined {
  return value === undefined ? undefined : new ApiSecurityKeys(value, name);
}

/** The one mini-program of the top-level `appId`/`appSecret`. */
export function singleApp(o: Input): AppConfig & { appSecret: string } {
  if (typeof o.appId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(o.appId)) {
    fail('appId', "your mini-program's AppID (e.g. 'wx4f4bc4dec97d474b'; set WECHAT_APP_ID)", o.appId);
  }
  if (typeof o.appSecret !== 'string' || o.appSecret.length === 0) fail('appSecret', 'a non-empty string (set WECHAT_APP_SECRET)', secret(o.appSecret));
  const apiSecurity = apiSecurityOf(o.apiSecurity, 'apiSecurity');
  return { appId: o.appId, appSecret: o.appSecret, ...(apiSecurity && { apiSecurity }) };
}

/** The apps, third-party platform and WeCom corp a server speaks for. */
export function parsePlatforms(o: Input, wecomApiBaseUrl: string): PlatformConfig {
  const component = parseComponent(o.component);
  const authorizerAccessToken = optionalFunction<(appId: string) => Promise<string>>(
    o,
    'authorizerAccessToken',
    'an async function (appId) returning the authorizer_access_token',
  );
  if (authorizerAccessToken && !component) fail('authorizerAccessToken', 'given only with `component`', authorizerAccessToken);
  const wecom = parseWecom(o.wecom, wecomApiBaseUrl);
  let apps: AppConfig[];
  if (o.apps !== undefined) {
    if (o.apiSecurity !== undefined) fail('apiSecurity', 'given inside each `apps` entry when `apps` lists the mini-programs', secret(o.apiSecurity));
    if (o.appId !== undefined || o.appSecret !== undefined)
      fail('appId', 'left out when `apps` lists the mini-programs', o.appId ?? new Description('an appSecret'));
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

function parseApps(value: unknown, componentMode: boolean): AppConfig[] {
  if (!Array.isArray(value) || value.length === 0) fail('apps', 'a non-empty array of { appId, appSecret }', value);
  const seen = new Set<string>();
  return value.map((entry: unknown, i) => {
    const name = `apps[${i}]`;
    const { appId, appSecret, apiSecurity: security } = nestedObject(entry, name, 'an object { appId, appSecret }', ['appId', 'appSecret', 'apiSecurity']);
    const apiSecurity = apiSecurityOf(security, `${name}.apiSecurity`);
    if (typeof appId !== 'string' || !APP_ID_SHAPE.test(appId)) fail(`${name}.appId`, "an AppID of WeChat's shape (wx and 16 letters or digits)", appId);
    if (seen.has(appId)) fail(`${name}.appId`, 'listed once', appId);
    seen.add(appId);
    if (componentMode) {
      if (appSecret !== undefined) fail(`${name}.appSecret`, 'left out with `component` (the platform logs in for the app)', secret(appSecret));
      return { appId, ...(apiSecurity && { apiSecurity }) };
    }
    if (typeof appSecret !== 'string' || !appSecret) fail(`${name}.appSecret`, 'the AppSecret of that mini-program', secret(appSecret));
    return { appId, appSecret, ...(apiSecurity && { apiSecurity }) };
  });
}

function parseComponent(value: unknown): WechatComponentOptions | undefined {
  if (value === undefined) return undefined;
  const { appId, accessToken } = nestedObject(value, 'component', 'an object { appId, accessToken }', ['appId', 'accessToken']);
  if (typeof appId !== 'string' || !APP_ID_SHAPE.test(appId)) fail('component.appId', "the platform's component AppID (wx and 16 letters or digits)", appId);
  if (typeof accessToken !== 'function') fail('component.accessToken', 'an async function returning the component_access_token', accessToken);
  return { appId, accessToken: accessToken as () => Promise<string> };
}

function parseWecom(value: unknown, fallbackUrl: string): Required<WechatWecomOptions> | undefined {
  if (value === undefined) return undefined;
  const w = nestedObject(value, 'wecom', 'an object { corpId, corpSecret }', ['corpId', 'corpSecret', 'apiBaseUrl']);
  const { corpId, corpSecret } = w;
  if (typeof corpId !== 'string' || !/^w[wx][A-Za-z0-9]{16}$/.test(corpId)) fail('wecom.corpId', "the corp's CorpID (ww and 16 letters or digits)", corpId);
  if (typeof corpSecret !== 'string' || !corpSecret) fail('wecom.corpSecret', 'a non-empty string', secret(corpSecret));
  return { corpId, corpSecret, apiBaseUrl: baseUrl(w, 'apiBaseUrl', fallbackUrl) };
}
