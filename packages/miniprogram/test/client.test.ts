/**
 * The mini-program client against the demo server and its WeChat stand-in,
 * through the `wx` shim: login, the token on every request, one renewal
 * shared by every refused request, errors passed through, logout.
 */
import { createServer } from 'node:net';
import { createMiniProgramClient } from '../src/index.js';
import { codeExchanges, useDemo, type Demo, type User } from '../../../test/support/miniprogram-demo.js';
import { createWxShim } from '../../../test/support/wx-shim.js';

let demo: Demo;
let user: User;

const exchanges = () => codeExchanges(demo);

useDemo({ demo: (d) => (demo = d), user: (u) => (user = u) });

describe('login and request', () => {
  it('logs in on the first request and sends the token on it', async () => {
    await expect(user.api.request({ url: '/api/me' })).resolves.toEqual({ openid: user.openid, unionid: null });
    expect(user.wx.calls.login).toBe(1);
    expect(await exchanges()).toBe(1);
    const token = user.token();
    expect(JSON.parse(user.wx.storage.get('wxs_token') ?? 'null')).toEqual({ token, openid: user.openid });
    expect(user.sent('/api/me').map((r) => r.header.Authorization)).toEqual([`Bearer ${token}`]);
    expect(user.sent('/wechat/login').map((r) => r.header.Authorization)).toEqual([undefined]);
  });

  it('shares one login among concurrent first requests', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => user.api.request({ url: '/api/me' })));
    expect(answers).toEqual(Array.from({ length: 5 }, () => ({ openid: user.openid, unionid: null })));
    expect(user.wx.calls.login).toBe(1);
    expect(await exchanges()).toBe(1);
  });

  it('after the server forgot the session, 10 concurrent requests cause one wx.login and one server login, and all succeed', async () => {
    await user.api.login();
    const old = user.token();
    await demo.revoke(old);
    const answers = await Promise.all(Array.from({ length: 10 }, () => user.api.request({ url: '/api/me' })));
    expect(answers).toEqual(Array.from({ length: 10 }, () => ({ openid: user.openid, unionid: null })));
    expect(user.wx.calls.login).toBe(2);
    expect(user.sent('/wechat/login')).toHaveLength(2);
    expect(await exchanges()).toBe(2);
    const sent = user.sent('/api/me');
    expect(sent.map((r) => r.status)).toEqual([...Array(10).fill(401), ...Array(10).fill(200)]);
    expect(new Set(sent.slice(10).map((r) => r.header.Authorization))).toEqual(new Set([`Bearer ${user.token()}`]));
    expect(user.token()).not.toBe(old);
  });

  it('a late refusal of the old token reuses the newer session instead of logging in again', async () => {
    await user.api.login();
    await demo.revoke(user.token());
    user.wx.delayRequests(300);
    const slow = user.api.request({ url: '/api/me' });
    user.wx.delayRequests(0);
    await user.api.request({ url: '/api/me' });
    await expect(slow).resolves.toEqual({ openid: user.openid, unionid: null });
    expect(user.wx.calls.login).toBe(2);
    expect(await exchanges()).toBe(2);
    expect(user.sent('/api/me').map((r) => r.status)).toEqual([401, 401, 200, 200]);
  });

  it('reuses the stored session while wx.checkSession passes, and calls wx.login once the session_key is dead', async () => {
    const first = await user.api.login();
    await expect(user.api.login()).resolves.toEqual(first);
    expect(user.wx.calls).toMatchObject({ login: 1, checkSession: 1 });
    user.wx.killSession();
    const second = await user.api.login();
    expect(user.wx.calls).toMatchObject({ login: 2, checkSession: 2 });
    expect(await exchanges()).toBe(2);
    expect(second.token).not.toBe(first.token);
    expect(await demo.me(second.token)).toEqual({ status: 200 });
  });

  it('login({ force: true }) skips wx.checkSession', async () => {
    await user.api.login();
    await user.api.login({ force: true });
    expect(user.wx.calls).toMatchObject({ login: 2, checkSession: 0 });
  });

  it("passes WeChat's rate limit (429) and a busy WeChat (502) at login through, once each", async () => {
    await demo.standIn.fail({ errcode: 45011 }, { api: 'jscode2session' });
    await expect(user.api.request({ url: '/api/me' })).rejects.toMatchObject({ code: 'WECHAT_RATE_LIMITED', status: 429 });
    expect(user.wx.calls.login).toBe(1);
    await demo.standIn.heal();
    await demo.standIn.fail('busy', { api: 'jscode2session' });
    await expect(user.api.request({ url: '/api/me' })).rejects.toMatchObject({ code: 'WECHAT_UPSTREAM_ERROR', status: 502 });
    expect(user.wx.calls.login).toBe(2);
    expect(user.sent('/wechat/login')).toHaveLength(2);
    expect(user.sent('/api/me')).toHaveLength(0);
    expect(user.api.getSession()).toBeNull();
  });

  it('rejects an answer without a JSON error body with WECHAT_HTTP_ERROR and its status', async () => {
    await user.api.login();
    await expect(user.api.request({ url: '/api/nothing-here' })).rejects.toMatchObject({ code: 'WECHAT_HTTP_ERROR', status: 404 });
    expect(user.wx.calls.login).toBe(1);
  });

  it('retries a refused request once, never loops', async () => {
    // The server reads Authorization and X-WX-Session: a token sent under another name is never seen.
    const api = user.client({ header: 'X-Other-Token' });
    await expect(api.request({ url: '/api/me' })).rejects.toMatchObject({ code: 'WECHAT_SESSION_REQUIRED', status: 401 });
    expect(user.sent('/api/me').map((r) => r.status)).toEqual([401, 401]);
    expect(user.wx.calls.login).toBe(2);
    expect(await exchanges()).toBe(2);
  });

  it('stops when login keeps failing', async () => {
    await demo.standIn.fail({ errcode: 40029 }, { api: 'jscode2session' });
    await expect(user.api.request({ url: '/api/me' })).rejects.toMatchObject({ code: 'WECHAT_CODE_INVALID', status: 401 });
    expect(user.wx.calls.login).toBe(1);
    expect(await exchanges()).toBe(1);
    expect(user.sent('/api/me')).toHaveLength(0);
    expect(user.api.getSession()).toBeNull();
  });

  it('shares one failed renewal among requests refused with the same token, however late', async () => {
    await user.api.login();
    await demo.revoke(user.token());
    await demo.standIn.fail({ errcode: 45011 }, { api: 'jscode2session' });
    const requests = [0, 150, 300].map((ms) => {
      user.wx.delayRequests(ms);
      return user.api.request({ url: '/api/me' });
    });
    user.wx.delayRequests(0); // the renewal itself is fast: the later refusals come after it failed
    const all = await Promise.allSettled(requests);
    expect(all.map((r) => r.status === 'rejected' && (r.reason as { code: string }).code)).toEqual(Array.from({ length: 3 }, () => 'WECHAT_RATE_LIMITED'));
    expect(user.wx.calls.login).toBe(2);
    expect(await exchanges()).toBe(2);
    expect(user.sent('/api/me')).toHaveLength(3);
  });

  it('sends no token and never logs in with auth: false', async () => {
    await expect(user.api.request({ url: '/demo/config', auth: false })).resolves.toMatchObject({ mode: 'stand-in' });
    expect(user.wx.calls.login).toBe(0);
    expect(user.wx.requests[0]?.header.Authorization).toBeUndefined();
  });

  it('carries the token in another header when asked', async () => {
    const api = user.client({ header: 'X-WX-Session' });
    await expect(api.request({ url: '/api/me' })).resolves.toEqual({ openid: user.openid, unionid: null });
    const [sent] = user.sent('/api/me');
    expect(sent?.header['X-WX-Session']).toBe(user.token());
    expect(sent?.header.Authorization).toBeUndefined();
  });

  it('uses the configured paths and storage key', async () => {
    await expect(user.client({ loginPath: '/nowhere' }).login()).rejects.toMatchObject({ code: 'WECHAT_HTTP_ERROR', status: 404 });
    await user.client({ storageKey: 'my_key' }).login();
    expect([...user.wx.storage.keys()]).toEqual(['my_key']);
  });

  it('shares the stored session between two clients on the same wx', async () => {
    await user.api.login();
    await expect(user.client().request({ url: '/api/me' })).resolves.toEqual({ openid: user.openid, unionid: null });
    expect(user.wx.calls.login).toBe(1);
  });
});

describe('logout', () => {
  it('revokes the session on the server (204), clears storage, and the old token is refused', async () => {
    const { token } = await user.api.login();
    await expect(user.api.logout()).resolves.toBeUndefined();
    expect(user.sent('/wechat/logout').map((r) => r.status)).toEqual([204]);
    expect(user.wx.storage.size).toBe(0);
    expect(await demo.me(token)).toEqual({ status: 401, code: 'WECHAT_SESSION_INVALID' });
    await user.api.request({ url: '/api/me' });
    expect(user.wx.calls.login).toBe(2);
  });

  it('is a no-op when logged out, and tolerates an already revoked token', async () => {
    await user.api.logout();
    expect(user.sent('/wechat/logout')).toHaveLength(0);
    await user.api.login();
    await demo.revoke(user.token());
    await expect(user.api.logout()).resolves.toBeUndefined();
    expect(user.sent('/wechat/logout').map((r) => r.status)).toEqual([401]);
    expect(user.api.getSession()).toBeNull();
  });
});

describe('options and transport failures', () => {
  it('throws a TypeError for wrong options', () => {
    const { wx } = user;
    expect(() => createMiniProgramClient({ wx, baseUrl: 'api.example.com' })).toThrow(TypeError);
    expect(() => createMiniProgramClient({ wx, baseUrl: demo.url, loginPath: 'login' })).toThrow(TypeError);
    expect(() => createMiniProgramClient({ wx, baseUrl: demo.url, timeout: -1 })).toThrow(TypeError);
    expect(() => createMiniProgramClient({ baseUrl: demo.url })).toThrow(TypeError); // no global wx in Node
  });

  it('never sends the token outside baseUrl', async () => {
    await user.api.login();
    await expect(user.api.request({ url: 'https://evil.example/steal' })).rejects.toBeInstanceOf(TypeError);
    expect(user.wx.requests.some((r) => r.url.includes('evil'))).toBe(false);
  });

  it('reports a timeout and a network failure with their codes', async () => {
    const api = user.client({ timeout: 250 });
    await api.login();
    user.wx.delayRequests(1000);
    await expect(api.request({ url: '/api/me' })).rejects.toMatchObject({ code: 'WECHAT_REQUEST_TIMEOUT', status: 0 });
    const closed = await closedPortUrl();
    const offline = createMiniProgramClient({ wx: createWxShim({ baseUrl: closed, getCode: () => 'x' }), baseUrl: closed });
    await expect(offline.login()).rejects.toMatchObject({ code: 'WECHAT_NETWORK_ERROR', status: 0 });
  });

  it('reports a failing wx.login', async () => {
    const broken = createWxShim({ baseUrl: demo.url, getCode: () => Promise.reject(new Error('no network')) });
    const client = createMiniProgramClient({ wx: broken, baseUrl: demo.url });
    await expect(client.request({ url: '/api/me' })).rejects.toMatchObject({ code: 'WECHAT_LOGIN_FAILED' });
    expect(broken.requests).toHaveLength(0);
    expect(await exchanges()).toBe(0);
  });
});

/** A loopback URL where nothing listens. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
