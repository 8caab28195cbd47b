/**
 * getPhoneNumber against the demo server and its WeChat stand-in, in both
 * flows: the phone code, and the legacy ciphertext that only opens with the
 * session_key the server holds.
 */
import { codeExchanges, newUser, useDemo, type Demo, type User } from '../../../test/support/miniprogram-demo.js';

let demo: Demo;
let user: User;

const NUMBER = '13800138000';
const PHONE = { phoneNumber: NUMBER, purePhoneNumber: NUMBER, countryCode: '86' };
const ok = (extra: object = {}) => ({ errMsg: 'getPhoneNumber:ok', ...extra });
const exchanges = () => codeExchanges(demo);
const phoneCode = () => demo.standIn.phoneCode(user.openid, NUMBER);
const encrypted = () => demo.standIn.encryptPhone(user.openid, NUMBER);

useDemo({ demo: (d) => (demo = d), user: (u) => (user = u) });

describe('getPhoneNumber', () => {
  it('sends the phone code (current flow), logging in first', async () => {
    await expect(user.api.getPhoneNumber(ok({ code: await phoneCode() }), { path: '/wechat/phone' })).resolves.toEqual(PHONE);
    expect(user.wx.calls.login).toBe(1);
    expect(await demo.standIn.calls()).toMatchObject({ jscode2session: 1, getuserphonenumber: 1 });
  });

  it('retries the phone code once after the server forgot the session', async () => {
    await user.api.login();
    await demo.revoke(user.token());
    await expect(user.api.getPhoneNumber(ok({ code: await phoneCode() }))).resolves.toEqual(PHONE);
    expect(user.wx.calls.login).toBe(2);
    expect(user.sent('/wechat/phone').map((r) => r.status)).toEqual([401, 200]);
    expect(await demo.standIn.calls()).toMatchObject({ jscode2session: 2, getuserphonenumber: 1 });
  });

  it('sends encryptedData and iv (legacy flow) without any wx call in between', async () => {
    await user.api.login();
    const detail = ok(await encrypted());
    const before = { ...user.wx.calls };
    await expect(user.api.getPhoneNumber(detail)).resolves.toEqual(PHONE);
    expect(user.wx.calls).toEqual({ ...before, request: before.request + 1 });
  });

  it('on a session_key changed by a background wx.login, logs in again and asks for another tap; the next tap works', async () => {
    await user.api.login();
    const stale = ok(await encrypted());
    await user.api.login({ force: true }); // a login in the background rotates the session_key
    const token = user.token();
    const failure = user.api.getPhoneNumber(stale);
    await expect(failure).rejects.toMatchObject({ code: 'WECHAT_PHONE_RETRY', status: 401 });
    const error = (await failure.catch((e: Error) => e)) as Error;
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(token);
    expect(user.wx.calls.login).toBe(3);
    expect(user.token()).not.toBe(token);
    await expect(user.api.getPhoneNumber(ok(await encrypted()))).resolves.toEqual(PHONE);
    expect(user.wx.calls.login).toBe(3);
    expect(user.sent('/wechat/phone').map((r) => r.status)).toEqual([401, 200]);
  });

  it('with a token the server forgot, logs in again and asks for another tap (the ciphertext cannot open with a new key)', async () => {
    await user.api.login();
    const detail = ok(await encrypted());
    await demo.revoke(user.token());
    await expect(user.api.getPhoneNumber(detail)).rejects.toMatchObject({ code: 'WECHAT_PHONE_RETRY', status: 401 });
    expect(user.sent('/wechat/phone')).toHaveLength(1);
    expect(await exchanges()).toBe(2);
  });

  it('waits for a login under way and sends the ciphertext made with its session_key', async () => {
    let issued!: () => void;
    let release!: () => void;
    const codeIssued = new Promise<void>((resolve) => (issued = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    // wx.login answers only once released: WeChat has rotated the key, the server has not seen the code yet.
    user = newUser(demo, {}, async () => {
      const code = await demo.standIn.loginCode(user.openid);
      issued();
      await released;
      return code;
    });
    const launching = user.api.login();
    await codeIssued;
    const detail = ok(await encrypted());
    expect(await exchanges()).toBe(0);
    const phone = user.api.getPhoneNumber(detail);
    release();
    await expect(phone).resolves.toEqual(PHONE);
    await launching;
    expect(user.wx.calls.login).toBe(1);
  });

  it('without a session, logs in and asks for another tap, sending no ciphertext', async () => {
    await demo.standIn.loginCode(user.openid); // an earlier wx.login whose code never reached the server
    await expect(user.api.getPhoneNumber(ok(await encrypted()))).rejects.toMatchObject({ code: 'WECHAT_PHONE_RETRY' });
    expect(user.sent('/wechat/phone')).toHaveLength(0);
    expect(user.api.getSession()).not.toBeNull();
  });

  it('rejects a denied permission without calling the server', async () => {
    await expect(user.api.getPhoneNumber({ errMsg: 'getPhoneNumber:fail user deny' })).rejects.toMatchObject({
      code: 'WECHAT_PERMISSION_DENIED',
      errMsg: 'getPhoneNumber:fail user deny',
    });
    expect(user.wx.calls).toEqual({ login: 0, checkSession: 0, request: 0 });
    expect(await demo.standIn.calls()).toMatchObject({ jscode2session: 0, getuserphonenumber: 0 });
  });

  it.each([
    [1400001, 'WECHAT_PHONE_QUOTA_EXHAUSTED'],
    [104, 'WECHAT_PRIVACY_NOT_AUTHORIZED'],
    [112, 'WECHAT_PRIVACY_NOT_DECLARED'],
  ])('turns errno %s into %s without calling the server', async (errno, code) => {
    const errMsg = 'getPhoneNumber:fail';
    await expect(user.api.getPhoneNumber({ errMsg, errno })).rejects.toMatchObject({ code, errMsg });
    expect(user.wx.calls).toEqual({ login: 0, checkSession: 0, request: 0 });
  });

  it("takes getRealtimePhoneNumber's detail like getPhoneNumber's", async () => {
    const phone = await user.api.getPhoneNumber({ errMsg: 'getRealtimePhoneNumber:ok', code: await phoneCode() });
    expect(phone).toEqual(PHONE);
  });

  it('rejects a detail with neither code nor ciphertext', async () => {
    await expect(user.api.getPhoneNumber(ok())).rejects.toMatchObject({ code: 'WECHAT_BAD_REQUEST' });
    expect(user.wx.calls.request).toBe(0);
  });

  it("passes WeChat's rate limit on the phone code through, without logging in again", async () => {
    await user.api.login();
    await demo.standIn.fail({ errcode: 45011 }, { api: 'getuserphonenumber', times: 1 });
    await expect(user.api.getPhoneNumber(ok({ code: await phoneCode() }))).rejects.toMatchObject({
      code: 'WECHAT_RATE_LIMITED',
      status: 429,
    });
    expect(user.wx.calls.login).toBe(1);
    expect(user.sent('/wechat/phone')).toHaveLength(1);
  });
});
