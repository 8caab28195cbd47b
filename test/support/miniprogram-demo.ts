/**
 * The demo server (examples/demo) in its own process, with the local WeChat
 * stand-in it starts when no credentials are set, driven through the
 * stand-in's control endpoints; and mini-program users of it: a `wx` shim
 * whose `wx.login` takes its codes from that stand-in, and a client.
 */
import { randomBytes } from 'node:crypto';
import type { StandInApi, StandInFaultMode, StandInFaultOptions } from '../../src/testing/types.js';
import { createMiniProgramClient, type MiniProgramClient, type MiniProgramClientOptions } from '../../packages/miniprogram/src/index.js';
import { requireBuild, startExample } from '../examples/run-example.js';
import { createWxShim, type SentRequest, type WxShim } from './wx-shim.js';

/** The stand-in of a running demo, as its control endpoints offer it. */
export interface StandInControl {
  readonly url: string;
  /** What `wx.login` yields for `openid`: a one-time code (WeChat's session_key for the user rotates now). */
  loginCode(openid: string): Promise<string>;
  /** What the current `getPhoneNumber` flow gives the page. */
  phoneCode(openid: string, phoneNumber: string): Promise<string>;
  /** What the legacy flow gives: the phone encrypted with the user's current session_key. */
  encryptPhone(openid: string, phoneNumber: string): Promise<{ encryptedData: string; iv: string }>;
  fail(mode: StandInFaultMode, opts?: StandInFaultOptions): Promise<void>;
  heal(): Promise<void>;
  calls(): Promise<Record<StandInApi, number>>;
  resetCalls(): Promise<void>;
}

export interface Demo {
  readonly url: string;
  readonly standIn: StandInControl;
  /** End the session of `token` through the server (POST /wechat/logout), as expiry would. */
  revoke(token: string): Promise<void>;
  /** GET /api/me with `token`: the status and the error code, if any. */
  me(token: string): Promise<{ status: number; code?: string }>;
  stop(): Promise<void>;
}

/** Start `npm run demo` (the package must be built) on a free port. */
export async function startDemo(): Promise<Demo> {
  requireBuild();
  const demo = await startExample('examples/demo/server.mjs');
  const config = (await (await fetch(`${demo.url}/demo/config`)).json()) as { standInUrl: string | null };
  if (!config.standInUrl) throw new Error('the demo did not start its WeChat stand-in');
  const standIn = standInControl(config.standInUrl);
  return {
    url: demo.url,
    standIn,
    async revoke(token) {
      const res = await fetch(`${demo.url}/wechat/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 204) throw new Error(`logout answered ${res.status}`);
    },
    async me(token) {
      const res = await fetch(`${demo.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { error?: { code: string } };
      return body.error ? { status: res.status, code: body.error.code } : { status: res.status };
    },
    stop: () => demo.stop(),
  };
}

function standInControl(url: string): StandInControl {
  async function call<T>(name: string, body?: object): Promise<T> {
    const init = body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) };
    const res = await fetch(`${url}/__standin/${name}`, init);
    const json = (await res.json()) as T & { error?: string };
    if (res.status !== 200) throw new Error(`stand-in ${name}: ${json.error ?? res.status}`);
    return json;
  }
  return {
    url,
    loginCode: async (openid) => (await call<{ code: string }>('login', { openid })).code,
    phoneCode: async (openid, phoneNumber) => (await call<{ code: string }>('phone-code', { openid, phoneNumber })).code,
    encryptPhone: (openid, phoneNumber) => call('encrypt-phone', { openid, phoneNumber }),
    fail: async (mode, opts = {}) => void (await call('fail', { mode, ...opts })),
    heal: async () => void (await call('heal', {})),
    calls: () => call('calls'),
    resetCalls: async () => void (await call('reset-calls', {})),
  };
}

/** A phone with the mini-program on it: one WeChat user, its `wx`, and a client. */
export interface User {
  readonly openid: string;
  readonly wx: WxShim;
  readonly api: MiniProgramClient;
  /** Another client on the same `wx` (same storage), with these options. */
  client(options?: Partial<MiniProgramClientOptions>): MiniProgramClient;
  /** The token in storage. */
  token(): string;
  /** The requests sent to `path` (a pathname, such as `/api/me`). */
  sent(path: string): SentRequest[];
}

/** A new WeChat user of `demo`; `getCode` replaces the stand-in's login codes. */
export function newUser(demo: Demo, options: Partial<MiniProgramClientOptions> = {}, getCode?: () => Promise<string>): User {
  const openid = `oMini${randomBytes(12).toString('base64url')}`;
  const wx = createWxShim({ baseUrl: demo.url, getCode: getCode ?? (() => demo.standIn.loginCode(openid)) });
  const client = (more: Partial<MiniProgramClientOptions> = {}) => createMiniProgramClient({ wx, baseUrl: demo.url, ...options, ...more });
  return {
    openid,
    wx,
    api: client(),
    client,
    token() {
      const token = client().getSession()?.token;
      if (!token) throw new Error('no session in storage');
      return token;
    },
    sent: (path) => wx.requests.filter((r) => new URL(r.url).pathname === path),
  };
}

/**
 * The hooks a suite of mini-program users needs (call at the top of a test
 * file): one demo server for the file, and before each test a fresh user and
 * a stand-in with its call counts reset; after each, the stand-in healed.
 *
 * @example
 * ```ts
 * let demo: Demo;
 * let user: User;
 * useDemo({ demo: (d) => (demo = d), user: (u) => (user = u) });
 * ```
 */
export function useDemo(set: { demo(demo: Demo): void; user(user: User): void }): void {
  let demo: Demo | undefined;
  beforeAll(async () => set.demo((demo = await startDemo())));
  afterAll(() => demo?.stop());
  beforeEach(async () => {
    await demo!.standIn.resetCalls();
    set.user(newUser(demo!));
  });
  afterEach(() => demo!.standIn.heal());
}

/** WeChat's code exchanges (one per server login) since the test began. */
export async function codeExchanges(demo: Demo): Promise<number> {
  return (await demo.standIn.calls()).jscode2session;
}
