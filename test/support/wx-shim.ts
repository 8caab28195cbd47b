/**
 * A stand-in for the mini-program's `wx` object, enough for the client:
 * `wx.login` takes its codes from a function (a local WeChat stand-in),
 * `wx.request` goes through `fetch` and, like WeChat's domain allowlist,
 * only to `baseUrl`; storage is a Map holding JSON copies, and
 * `wx.checkSession` can be told that WeChat's session_key is dead, and the
 * network can be made slow. It uses nothing of Node, so a browser page can
 * use it too.
 */
import type { StoredSession, WxCheckSessionOption, WxLike, WxLoginOption, WxRequestOption, WxRequestResult } from '../../packages/miniprogram/src/index.js';

export interface WxShimOptions {
  /** The only origin (and prefix) `wx.request` may reach. */
  baseUrl: string;
  /** Yields a fresh login code, as WeChat does for `wx.login`. */
  getCode: () => Promise<string> | string;
  /** The mini-program's AppID, as `wx.getAccountInfoSync()` tells it. Default: none (an old base library). */
  appId?: string;
  /** Inside WeCom: yields a fresh `wx.qy.login` code. Default: no `wx.qy`. */
  getWecomCode?: () => Promise<string> | string;
}

export interface WxShim extends WxLike {
  /** Calls made so far, per API. */
  readonly calls: { login: number; checkSession: number; request: number };
  /** Every `wx.request`: method, URL, headers, and the HTTP status once answered (for assertions). */
  readonly requests: SentRequest[];
  /** The storage, as JSON text per key. */
  readonly storage: Map<string, string>;
  /** Make `wx.checkSession` fail until the next `wx.login`, as when WeChat's session_key expired. */
  killSession(): void;
  /** Hold every later `wx.request` this long before it leaves (a slow network; counted in its `timeout`). 0 by default. */
  delayRequests(ms: number): void;
}

export interface SentRequest {
  method: string;
  url: string;
  header: Record<string, string>;
  /** The HTTP status of the answer, once it came. */
  status?: number;
}

/** Create a `wx` stand-in. */
export function createWxShim(options: WxShimOptions): WxShim {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const storage = new Map<string, string>();
  const calls = { login: 0, checkSession: 0, request: 0 };
  const requests: WxShim['requests'] = [];
  let alive = false;
  let delay = 0;
  const loginWith = (getCode: () => Promise<string> | string, name: string) => (option: WxLoginOption) => {
    calls.login += 1;
    later(async () => {
      try {
        const code = await getCode();
        alive = true;
        option.success({ code });
      } catch (error) {
        option.fail({ errMsg: `${name}:fail ${(error as Error).message}` });
      }
    });
  };
  const checkSession = (option: WxCheckSessionOption) => {
    calls.checkSession += 1;
    const ok = alive;
    later(() => (ok ? option.success({ errMsg: 'checkSession:ok' }) : option.fail({ errMsg: 'checkSession:fail session time out' })));
  };
  return {
    ...(options.appId !== undefined && { getAccountInfoSync: () => ({ miniProgram: { appId: options.appId } }) }),
    ...(options.getWecomCode !== undefined && { qy: { login: loginWith(options.getWecomCode, 'qy.login'), checkSession } }),
    calls,
    requests,
    storage,
    killSession: () => void (alive = false),
    delayRequests: (ms) => void (delay = ms),
    login: loginWith(options.getCode, 'login'),
    checkSession,
    request(option: WxRequestOption) {
      calls.request += 1;
      const header = Object.assign({ 'content-type': 'application/json' }, option.header) as Record<string, string>;
      const sent: SentRequest = { method: option.method ?? 'GET', url: option.url, header };
      requests.push(sent);
      if (option.url !== baseUrl && !option.url.startsWith(baseUrl + '/')) {
        later(() => option.fail({ errMsg: 'request:fail url not in domain list' }));
        return;
      }
      void fetchInto(option, sent, delay);
    },
    getStorageSync(key: string) {
      const text = storage.get(key);
      return text === undefined ? '' : JSON.parse(text);
    },
    setStorageSync(key: string, data: StoredSession) {
      storage.set(key, JSON.stringify(data));
    },
    removeStorageSync(key: string) {
      storage.delete(key);
    },
  };
}

function later(fn: () => unknown): void {
  setTimeout(() => void fn(), 0);
}

async function fetchInto(option: WxRequestOption, sent: SentRequest, delay: number): Promise<void> {
  const { method, header } = sent;
  let url = option.url;
  let body: string | undefined;
  if (option.data !== undefined && (method === 'GET' || method === 'HEAD')) url = withQuery(url, option.data);
  else if (option.data !== undefined) body = typeof option.data === 'string' ? option.data : JSON.stringify(option.data);
  try {
    const signal = AbortSignal.timeout(option.timeout ?? 60000);
    if (delay > 0) await sleep(delay, signal);
    const res = await fetch(url, { method, headers: header, body, signal });
    const text = await res.text();
    sent.status = res.status;
    const answerHeader: Record<string, string> = {};
    res.headers.forEach((value, name) => void (answerHeader[name] = value));
    option.success({ data: parse(text, option.dataType), statusCode: res.status, header: answerHeader });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    option.fail({ errMsg: timedOut ? 'request:fail timeout' : `request:fail ${(error as Error).message}` });
  }
}

/** Wait `ms`, or reject with the signal's reason once it aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

/** `dataType: 'json'` (the default) parses the body when it can, and otherwise keeps the text, as WeChat does. */
function parse(text: string, dataType: string | undefined): WxRequestResult['data'] {
  if (dataType !== undefined && dataType !== 'json') return text;
  try {
    return JSON.parse(text) as WxRequestResult['data'];
  } catch {
    return text;
  }
}

function withQuery(url: string, data: unknown): string {
  if (typeof data === 'string') return data === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${data}`;
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) query.append(key, String(value));
  const text = query.toString();
  return text === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${text}`;
}
