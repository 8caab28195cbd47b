import { createMiniProgramClient, type MiniProgramClient, type MiniProgramClientOptions } from '../../src/miniprogram/index.js';
import { startFakeServer, type FakeServer } from './fake-server.js';
import { createWxShim, type WxShim } from './wx-shim.js';

let server: FakeServer;
let wx: WxShim;
let api: MiniProgramClient;

function setup(options: Partial<MiniProgramClientOptions> = {}): void {
  wx = createWxShim({ baseUrl: server.url, getCode: () => server.issueCode('alice') });
  api = createMiniProgramClient({ wx, baseUrl: server.url, ...options });
}

const hits = (path: string): number => server.hits.get(path) ?? 0;

beforeEach(async () => {
  server = await startFakeServer();
  setup();
});
afterEach(() => server.close());

describe('login and request', () => {
  it('logs in on the first request and sends the token on it', async () => {
    await expect(api.request({ url: '/api/me' })).resolves.toEqual({ openid: 'o-alice' });
    expect(wx.calls.login).toBe(1);
    expect(server.logins).toBe(1);
    const token = api.getSession()?.token;
    expect(token).toEqual(expect.any(String));
    expect(JSON.parse(wx.storage.get('wxs_token') ?? 'null')).toEqual({ token, openid: 'o-alice' });
    const sent = wx.requests.filter((r) => r.url.endsWith('/api/me'));
    expect(sent.map((r) => r.header.Authorization)).toEqual([`Bearer ${token}`]);
    const login = wx.requests.find((r) => r.url.endsWith('/wechat/login'));
    expect(login?.header.Authorization).toBeUndefined();
  });

  it('shares one login among concurrent first requests', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.request({ url: '/api/me' })));
    expect(answers).toHaveLength(5);
    expect(wx.calls.login).toBe(1);
    expect(server.logins).toBe(1);
  });

  it('after expiry, 10 concurrent requests cause one wx.login and one server login, and all succeed', async () => {
    await api.login();
    server.expireAll();
    server.setDelay(20);
    const answers = await Promise.all(Array.from({ length: 10 }, () => api.request({ url: '/api/me' })));
    expect(answers).toEqual(Array.from({ length: 10 }, () => ({ openid: 'o-alice' })));
    expect(wx.calls.login).toBe(2);
    expect(server.logins).toBe(2);
    expect(hits('/api/me')).toBe(20);
  });

  it('a late refusal of the old token reuses the newer session instead of logging in again', async () => {
    await api.login();
    server.expireAll();
    const slow = api.request({ url: '/api/me?delay=150' });
    await api.request({ url: '/api/me' });
    await expect(slow).resolves.toEqual({ openid: 'o-alice' });
    expect(wx.calls.login).toBe(2);
    expect(server.logins).toBe(2);
  });

  it('reuses the stored session while wx.checkSession passes, and calls wx.login once the session_key is dead', async () => {
    const first = await api.login();
    await expect(api.login()).resolves.toEqual(first);
    expect(wx.calls).toMatchObject({ login: 1, checkSession: 1 });
    wx.killSession();
    const second = await api.login();
    expect(wx.calls).toMatchObject({ login: 2, checkSession: 2 });
    expect(server.logins).toBe(2);
    expect(second.token).not.toBe(first.token);
  });

  it('login({ force: true }) skips wx.checkSession', async () => {
    await api.login();
    await api.login({ force: true });
    expect(wx.calls).toMatchObject({ login: 2, checkSession: 0 });
  });

  it('passes 429 and 502 through with their codes, without logging in again', async () => {
    await api.login();
    await expect(api.request({ url: '/api/rate-limited' })).rejects.toMatchObject({ code: 'WECHAT_RATE_LIMITED', status: 429 });
    await expect(api.request({ url: '/api/upstream' })).rejects.toMatchObject({ code: 'WECHAT_UPSTREAM_ERROR', status: 502 });
    await expect(api.request({ url: '/api/plain-error' })).rejects.toMatchObject({ code: 'WECHAT_HTTP_ERROR', status: 500 });
    expect(server.logins).toBe(1);
    expect(hits('/api/rate-limited')).toBe(1);
  });

  it('retries a refused request once, never loops', async () => {
    await api.login();
    await expect(api.request({ url: '/api/always-invalid' })).rejects.toMatchObject({
      code: 'WECHAT_SESSION_INVALID',
      status: 401,
    });
    expect(hits('/api/always-invalid')).toBe(2);
    expect(server.logins).toBe(2);
  });

  it('stops when login keeps failing', async () => {
    server.failLogins({ status: 401, code: 'WECHAT_CODE_INVALID' });
    await expect(api.request({ url: '/api/me' })).rejects.toMatchObject({ code: 'WECHAT_CODE_INVALID', status: 401 });
    expect(server.logins).toBe(1);
    expect(hits('/api/me')).toBe(0);
    expect(api.getSession()).toBeNull();
  });

  it('shares one failed renewal among requests refused with the same token, however late', async () => {
    await api.login();
    server.expireAll();
    server.failLogins({ status: 502, code: 'WECHAT_UPSTREAM_ERROR' });
    const all = await Promise.allSettled([0, 60, 120].map((ms) => api.request({ url: `/api/me?delay=${ms}` })));
    expect(all.map((r) => r.status === 'rejected' && (r.reason as { code: string }).code)).toEqual(
      Array.from({ length: 3 }, () => 'WECHAT_UPSTREAM_ERROR'),
    );
    expect(server.logins).toBe(2);
    expect(hits('/api/me')).toBe(3);
  });

  it('sends no token and never logs in with auth: false', async () => {
    await expect(api.request({ url: '/api/public', auth: false })).resolves.toEqual({ public: true });
    expect(wx.calls.login).toBe(0);
    expect(wx.requests[0]?.header.Authorization).toBeUndefined();
  });

  it('carries the token in another header when asked', async () => {
    setup({ header: 'X-WX-Session' });
    await expect(api.request({ url: '/api/me' })).resolves.toEqual({ openid: 'o-alice' });
    const sent = wx.requests.find((r) => r.url.endsWith('/api/me'));
    expect(sent?.header['X-WX-Session']).toBe(api.getSession()?.token);
    expect(sent?.header.Authorization).toBeUndefined();
  });

  it('uses the configured paths and storage key', async () => {
    setup({ loginPath: '/nowhere', storageKey: 'my_key' });
    await expect(api.login()).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    setup({ storageKey: 'my_key' });
    await api.login();
    expect([...wx.storage.keys()]).toEqual(['my_key']);
  });

  it('shares the stored session between two clients on the same wx', async () => {
    await api.login();
    const other = createMiniProgramClient({ wx, baseUrl: server.url });
    await expect(other.request({ url: '/api/me' })).resolves.toEqual({ openid: 'o-alice' });
    expect(wx.calls.login).toBe(1);
  });
});

describe('logout', () => {
  it('revokes the session on the server and clears storage', async () => {
    const { token } = await api.login();
    await expect(api.logout()).resolves.toBeUndefined();
    expect(hits('/wechat/logout')).toBe(1);
    expect(wx.storage.size).toBe(0);
    const res = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    await api.request({ url: '/api/me' });
    expect(server.logins).toBe(2);
  });

  it('is a no-op when logged out, and tolerates an already revoked token', async () => {
    await api.logout();
    expect(hits('/wechat/logout')).toBe(0);
    await api.login();
    server.expireAll();
    await expect(api.logout()).resolves.toBeUndefined();
    expect(api.getSession()).toBeNull();
  });
});

describe('options and transport failures', () => {
  it('throws a TypeError for wrong options', () => {
    expect(() => createMiniProgramClient({ wx, baseUrl: 'api.example.com' })).toThrow(TypeError);
    expect(() => createMiniProgramClient({ wx, baseUrl: server.url, loginPath: 'login' })).toThrow(TypeError);
    expect(() => createMiniProgramClient({ wx, baseUrl: server.url, timeout: -1 })).toThrow(TypeError);
    expect(() => createMiniProgramClient({ baseUrl: server.url })).toThrow(TypeError); // no global wx in Node
  });

  it('never sends the token outside baseUrl', async () => {
    await api.login();
    await expect(api.request({ url: 'https://evil.example/steal' })).rejects.toBeInstanceOf(TypeError);
    expect(wx.requests.some((r) => r.url.includes('evil'))).toBe(false);
  });

  it('reports a timeout and a network failure with their codes', async () => {
    setup({ timeout: 250 });
    await api.login();
    server.setDelay(1000);
    await expect(api.request({ url: '/api/me' })).rejects.toMatchObject({ code: 'WECHAT_REQUEST_TIMEOUT', status: 0 });
    const closed = await startFakeServer();
    await closed.close();
    const offline = createMiniProgramClient({ wx: createWxShim({ baseUrl: closed.url, getCode: () => 'x' }), baseUrl: closed.url });
    await expect(offline.login()).rejects.toMatchObject({ code: 'WECHAT_NETWORK_ERROR', status: 0 });
  });

  it('reports a failing wx.login', async () => {
    const broken = createWxShim({ baseUrl: server.url, getCode: () => Promise.reject(new Error('no network')) });
    const client = createMiniProgramClient({ wx: broken, baseUrl: server.url });
    await expect(client.request({ url: '/api/me' })).rejects.toMatchObject({ code: 'WECHAT_LOGIN_FAILED' });
    expect(server.logins).toBe(0);
  });
});
