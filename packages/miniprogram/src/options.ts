import type { ClientContext } from './context.js';
import { createSessionStorage } from './storage.js';
import type { MiniProgramClientOptions, WxLike } from './types.js';

const WX_METHODS = ['login', 'checkSession', 'request', 'getStorageSync', 'setStorageSync', 'removeStorageSync'];

/** Check the options once, at creation, and turn them into the client's context. */
export function toContext(options: MiniProgramClientOptions): ClientContext {
  if (!options || typeof options !== 'object') throw new TypeError('createMiniProgramClient needs an options object');
  const wx = pickWx(options.wx);
  const key = options.storageKey === undefined ? 'wxs_token' : options.storageKey;
  if (typeof key !== 'string' || key === '') throw new TypeError('`storageKey` must be a non-empty string');
  if (options.wecom !== undefined && typeof options.wecom !== 'boolean') throw new TypeError('`wecom` must be true or false');
  const wecom = options.wecom === true;
  if (wecom && (!wx.qy || typeof wx.qy.login !== 'function')) throw new TypeError('`wecom: true` needs `wx.qy.login`: run the mini-program inside WeCom');
  return {
    wx,
    appId: ownAppId(wx),
    wecom,
    baseUrl: checkBaseUrl(options.baseUrl),
    loginPath: checkPath('loginPath', options.loginPath, wecom ? '/wechat/wecom/login' : '/wechat/login'),
    phonePath: checkPath('phonePath', options.phonePath, '/wechat/phone'),
    logoutPath: checkPath('logoutPath', options.logoutPath, '/wechat/logout'),
    header: checkHeader(options.header),
    timeout: checkTimeout(options.timeout),
    storage: createSessionStorage(wx, key),
  };
}

/** The mini-program's AppID as WeChat tells it, or undefined (an old base library, a test double without it). */
function ownAppId(wx: WxLike): string | undefined {
  if (typeof wx.getAccountInfoSync !== 'function') return undefined;
  try {
    const appId = wx.getAccountInfoSync().miniProgram?.appId;
    return typeof appId === 'string' && appId !== '' ? appId : undefined;
  } catch (_) {
    return undefined;
  }
}

function pickWx(given: WxLike | undefined): WxLike {
  const candidate: unknown = given !== undefined ? given : typeof wx !== 'undefined' ? wx : undefined;
  if (candidate === undefined) {
    throw new TypeError('No `wx` found: pass `{ wx }` when not running inside a mini-program');
  }
  for (const name of WX_METHODS) {
    if (typeof (candidate as Record<string, unknown>)[name] !== 'function') {
      throw new TypeError(`\`wx.${name}\` must be a function; pass a wx-like object with it`);
    }
  }
  return candidate as WxLike;
}

function checkBaseUrl(value: unknown): string {
  if (typeof value !== 'string' || !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/i.test(value)) {
    throw new TypeError(`\`baseUrl\` must be an http(s) URL such as "https://api.example.com"; got ${JSON.stringify(value)}`);
  }
  return value.replace(/\/+$/, '');
}

function checkPath(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.charAt(0) !== '/') {
    throw new TypeError(`\`${name}\` must be a path starting with "/"; got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkHeader(value: unknown): string {
  if (value === undefined) return 'Authorization';
  if (typeof value !== 'string' || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(value)) {
    throw new TypeError(`\`header\` must be a header name such as "X-WX-Session"; got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkTimeout(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new TypeError(`\`timeout\` must be a positive number of milliseconds; got ${JSON.stringify(value)}`);
  }
  return value;
}
