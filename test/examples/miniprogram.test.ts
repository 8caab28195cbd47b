/**
 * examples/miniprogram, run as the mini-program runs it (its app.js and page,
 * the built client resolved as "Build npm" lays it out), against the demo
 * server and its WeChat stand-in, with a `wx` shim.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createWxShim, type WxShim } from '../support/wx-shim.js';
import { loadMiniProgram, type MiniProgram, type PageInstance } from './miniprogram-runtime.js';
import { requireBuild, ROOT, startExample, type RunningExample } from './run-example.js';

const EXAMPLE = join(ROOT, 'examples', 'miniprogram');
const CLIENT = join(ROOT, 'packages', 'miniprogram', 'miniprogram_dist', 'index.js');

let demo: RunningExample;
let standInUrl: string;

beforeAll(async () => {
  requireBuild();
  demo = await startExample('examples/demo/server.mjs');
  standInUrl = ((await (await fetch(`${demo.url}/demo/config`)).json()) as { standInUrl: string }).standInUrl;
});
afterAll(() => demo?.stop());

async function standIn(name: string, body: object): Promise<Record<string, string>> {
  const res = await fetch(`${standInUrl}/__standin/${name}`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, string>;
}

interface Phone {
  wx: WxShim;
  openid: string;
  toasts: string[];
  /** Start the mini-program anew (same phone: storage and WeChat's session stay). */
  launch(): Promise<{ app: MiniProgram['app']; page: PageInstance }>;
}

function phone(): Phone {
  const openid = `oMini${randomBytes(9).toString('base64url')}`;
  const wx = createWxShim({ baseUrl: demo.url, getCode: async () => (await standIn('login', { openid })).code });
  const toasts: string[] = [];
  Object.assign(wx, { showToast: (option: { title: string }) => void toasts.push(option.title) });
  return {
    wx,
    openid,
    toasts,
    async launch() {
      const mp = loadMiniProgram(EXAMPLE, {
        wx,
        packages: { 'express-wechat-session-miniprogram': CLIENT },
        replace: { 'config.js': { baseUrl: demo.url } },
      });
      await mp.app.onLaunch();
      const page = mp.page('pages/index/index');
      await page.onLoad();
      return { app: mp.app, page };
    },
  };
}

const sent = (wx: WxShim, path: string) => wx.requests.filter((r) => new URL(r.url).pathname === path);
const tap = (detail: object) => ({ detail: { errMsg: 'getPhoneNumber:ok', ...detail } });

async function me(token: string): Promise<{ status: number; code?: string }> {
  const res = await fetch(`${demo.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { error?: { code: string } };
  return { status: res.status, code: body.error?.code };
}

it('logs in at launch, sends the token on every request, and reuses it while wx.checkSession passes', async () => {
  const user = phone();
  const { page } = await user.launch();
  expect(page.data).toMatchObject({ openid: user.openid, message: '' });
  expect(user.wx.calls.login).toBe(1);
  await user.launch();
  expect(user.wx.calls).toMatchObject({ login: 1, checkSession: 1 });
  const token = JSON.parse(user.wx.storage.get('wxs_token')!).token as string;
  expect(sent(user.wx, '/api/me').map((r) => r.header.Authorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
  user.wx.killSession();
  await user.launch();
  expect(user.wx.calls).toMatchObject({ login: 2, checkSession: 2 });
  expect(sent(user.wx, '/wechat/login')).toHaveLength(2);
});

it('logs in again once when the server refuses the token', async () => {
  const user = phone();
  const { page } = await user.launch();
  const token = JSON.parse(user.wx.storage.get('wxs_token')!).token as string;
  const revoked = await fetch(`${demo.url}/wechat/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  expect(revoked.status).toBe(204);
  page.setData({ openid: '' });
  await page.loadProfile();
  expect(page.data).toMatchObject({ openid: user.openid, message: '' });
  expect(user.wx.calls.login).toBe(2);
  expect(sent(user.wx, '/api/me')).toHaveLength(3); // launch, the refused one, its retry
});

it('gets the phone number in the current flow (code)', async () => {
  const user = phone();
  const { page } = await user.launch();
  const { code } = await standIn('phone-code', { openid: user.openid, phoneNumber: '13800138000' });
  await page.onPhone(tap({ code }));
  expect(page.data).toMatchObject({ phone: '13800138000', message: '' });
});

it('gets the phone number in the legacy flow (encryptedData + iv)', async () => {
  const user = phone();
  const { page } = await user.launch();
  const { encryptedData, iv } = await standIn('encrypt-phone', { openid: user.openid, phoneNumber: '13912345678' });
  await page.onPhone(tap({ encryptedData, iv }));
  expect(page.data).toMatchObject({ phone: '13912345678', message: '' });
});

it('asks the user to tap again when the session_key changed after the tap, and the next tap works', async () => {
  const user = phone();
  const { app, page } = await user.launch();
  const old = await standIn('encrypt-phone', { openid: user.openid, phoneNumber: '13912345678' });
  await app.api.login({ force: true }); // a login in the background rotates WeChat's session_key
  await page.onPhone(tap(old));
  expect(page.data).toMatchObject({ phone: '', message: 'Please tap the button again' });
  expect(user.toasts).toEqual(['Please tap again']);
  const again = await standIn('encrypt-phone', { openid: user.openid, phoneNumber: '13912345678' });
  await page.onPhone(tap(again));
  expect(page.data).toMatchObject({ phone: '13912345678', message: '' });
});

it('sends nothing when the user refuses the phone number', async () => {
  const user = phone();
  const { page } = await user.launch();
  const before = user.wx.calls.request;
  await page.onPhone({ detail: { errMsg: 'getPhoneNumber:fail user deny' } });
  expect(page.data).toMatchObject({ phone: '', message: 'No phone number shared' });
  expect(user.wx.calls.request).toBe(before);
});

it('logs out: the server refuses the old token and storage is empty', async () => {
  const user = phone();
  const { page } = await user.launch();
  const token = JSON.parse(user.wx.storage.get('wxs_token')!).token as string;
  await page.onLogout();
  expect(page.data).toMatchObject({ openid: '', phone: '', message: 'Logged out' });
  expect(user.wx.storage.has('wxs_token')).toBe(false);
  expect(await me(token)).toEqual({ status: 401, code: 'WECHAT_SESSION_INVALID' });
});
