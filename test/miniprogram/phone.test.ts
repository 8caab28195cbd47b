import { createMiniProgramClient, type MiniProgramClient } from '../../src/miniprogram/index.js';
import { startFakeServer, type FakeServer } from './fake-server.js';
import { createWxShim, type WxShim } from './wx-shim.js';

let server: FakeServer;
let wx: WxShim;
let api: MiniProgramClient;

const hits = (path: string): number => server.hits.get(path) ?? 0;
const ok = (extra: object = {}) => ({ errMsg: 'getPhoneNumber:ok', ...extra });
const PHONE = { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86' };

beforeEach(async () => {
  server = await startFakeServer();
  wx = createWxShim({ baseUrl: server.url, getCode: () => server.issueCode('alice') });
  api = createMiniProgramClient({ wx, baseUrl: server.url });
});
afterEach(() => server.close());

describe('getPhoneNumber', () => {
  it('sends the phone code (current flow)', async () => {
    await expect(api.getPhoneNumber(ok({ code: server.issuePhoneCode() }), { path: '/wechat/phone' })).resolves.toEqual(PHONE);
    expect(server.logins).toBe(1);
  });

  it('retries the phone code once after an expired token', async () => {
    await api.login();
    server.expireAll();
    await expect(api.getPhoneNumber(ok({ code: server.issuePhoneCode() }))).resolves.toEqual(PHONE);
    expect(server.logins).toBe(2);
    expect(hits('/wechat/phone')).toBe(2);
  });

  it('sends encryptedData and iv (legacy flow) without any wx call in between', async () => {
    await api.login();
    const detail = ok(server.encryptPhone('alice'));
    const before = { ...wx.calls };
    await expect(api.getPhoneNumber(detail)).resolves.toEqual(PHONE);
    expect(wx.calls).toEqual({ ...before, request: before.request + 1 });
  });

  it('on a stale session_key logs in again and asks for another tap', async () => {
    await api.login();
    const stale = ok(server.encryptPhone('alice'));
    await api.login({ force: true }); // a login in the background rotates the session_key
    const token = api.getSession()?.token as string;
    const failure = api.getPhoneNumber(stale);
    await expect(failure).rejects.toMatchObject({ code: 'WECHAT_PHONE_RETRY', status: 401 });
    const error = (await failure.catch((e: Error) => e)) as Error;
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(token);
    expect(wx.calls.login).toBe(3);
    expect(api.getSession()?.token).not.toBe(token);
    await expect(api.getPhoneNumber(ok(server.encryptPhone('alice')))).resolves.toEqual(PHONE);
    expect(wx.calls.login).toBe(3);
  });

  it('with an expired token, logs in again and asks for another tap (the ciphertext cannot open with a new key)', async () => {
    await api.login();
    const detail = ok(server.encryptPhone('alice'));
    server.expireAll();
    await expect(api.getPhoneNumber(detail)).rejects.toMatchObject({ code: 'WECHAT_PHONE_RETRY', status: 401 });
    expect(hits('/wechat/phone')).toBe(1);
    expect(server.logins).toBe(2);
  });

  it('waits for a login under way and sends the ciphertext made with its session_key', async () => {
    let codeIssued!: () => void;
    const issued = new Promise<void>((resolve) => (codeIssued = resolve));
    const getCode = (): string => {
      const code = server.issueCode('alice');
      codeIssued();
      return code;
    };
    wx = createWxShim({ baseUrl: server.url, getCode });
    api = createMiniProgramClient({ wx, baseUrl: server.url });
    const launching = api.login();
    await issued; // wx.login has answered (the key rotated); the server has not seen the login yet
    expect(server.logins).toBe(0);
    await expect(api.getPhoneNumber(ok(server.encryptPhone('alice')))).resolves.toEqual(PHONE);
    await launching;
    expect(wx.calls.login).toBe(1);
  });

  it('without a session, logs in and asks for another tap, sending no ciphertext', async () => {
    await expect(api.getPhoneNumber(ok(server.encryptPhone('alice')))).rejects.toMatchObject({ code: 'WECHAT_PHONE_RETRY' });
    expect(hits('/wechat/phone')).toBe(0);
    expect(api.getSession()).not.toBeNull();
  });

  it('rejects a denied permission without calling the server', async () => {
    await expect(api.getPhoneNumber({ errMsg: 'getPhoneNumber:fail user deny' })).rejects.toMatchObject({
      code: 'WECHAT_PERMISSION_DENIED',
      errMsg: 'getPhoneNumber:fail user deny',
    });
    expect(wx.calls).toEqual({ login: 0, checkSession: 0, request: 0 });
  });

  it('rejects a detail with neither code nor ciphertext', async () => {
    await expect(api.getPhoneNumber(ok())).rejects.toMatchObject({ code: 'WECHAT_BAD_REQUEST' });
    expect(wx.calls.request).toBe(0);
  });
});
