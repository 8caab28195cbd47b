import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('decryptPhone, legacy encryptedData + iv', () => {
  it('decrypts with the session key and attaches req.wechat.phone', async () => {
    const { token, openid } = await h.login();
    const payload = h.wechat.encryptPhone(openid, '13912345678');
    const res = await h.post('/api/phone', payload, token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ phoneNumber: '13912345678', purePhoneNumber: '13912345678', countryCode: '86' });
  });

  it('works through wechatRouter, with a form body whose + became spaces', async () => {
    const { token, openid } = await h.login();
    let payload = h.wechat.encryptPhone(openid);
    while (!`${payload.encryptedData}${payload.iv}`.includes('+')) payload = h.wechat.encryptPhone(openid);
    const raw = `encryptedData=${payload.encryptedData}&iv=${payload.iv}`; // not percent-encoded: + decodes to space
    const res = await fetch(`${h.url}/wechat/phone`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: raw,
    });
    expect(res.status).toBe(200);
    expect((await res.json()).countryCode).toBe('86');
  });

  it('answers 401 WECHAT_SESSION_KEY_MISMATCH after a wx.login rotated the key, and keeps the session', async () => {
    const { token, openid } = await h.login();
    h.wechat.issueLoginCode({ openid }); // a second wx.login on the phone: new session_key at WeChat
    const stale = h.wechat.encryptPhone(openid);
    const res = await h.post('/api/phone', stale, token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_SESSION_KEY_MISMATCH');
    expect((await h.get('/api/me', token)).status).toBe(200);
  });

  it('recovers by logging in again and sending fresh data', async () => {
    const { openid } = await h.login();
    const before = h.wechat.encryptPhone(openid);
    const again = await h.login({ openid });
    expect((await h.post('/api/phone', before, again.token)).body.error.code).toBe('WECHAT_SESSION_KEY_MISMATCH');
    expect((await h.post('/api/phone', h.wechat.encryptPhone(openid), again.token)).status).toBe(200);
  });

  it("answers 400 WECHAT_WATERMARK_MISMATCH for another app's data", async () => {
    const { token, openid } = await h.login();
    const res = await h.post('/api/phone', h.wechat.encryptPhone(openid, undefined, { watermarkAppId: 'wx1111111111111111' }), token);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('WECHAT_WATERMARK_MISMATCH');
  });

  it.each([
    ['an iv of the wrong length', (p: { encryptedData: string; iv: string }) => ({ ...p, iv: p.iv.slice(2) })],
    ['an iv with junk after it', (p: { encryptedData: string; iv: string }) => ({ ...p, iv: `${p.iv}...` })],
    ['ciphertext that is not base64', (p: { encryptedData: string; iv: string }) => ({ ...p, encryptedData: '%%%%' })],
    ['ciphertext cut mid-block', (p: { encryptedData: string; iv: string }) => ({ ...p, encryptedData: p.encryptedData.slice(4) })],
    ['a missing iv', (p: { encryptedData: string; iv: string }) => ({ encryptedData: p.encryptedData })],
    ['an empty body', () => ({})],
    ['an array for encryptedData', (p: { encryptedData: string; iv: string }) => ({ ...p, encryptedData: [p.encryptedData] })],
  ])('answers 400 WECHAT_BAD_REQUEST for %s, and keeps the session', async (_what, mangle) => {
    const { token, openid } = await h.login();
    const res = await h.post('/api/phone', mangle(h.wechat.encryptPhone(openid)), token);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('WECHAT_BAD_REQUEST');
    expect((await h.get('/api/me', token)).status).toBe(200);
  });

  it('answers 400 WECHAT_PERMISSION_DENIED when the user refused', async () => {
    const { token } = await h.login();
    const res = await h.post('/api/phone', { errMsg: 'getPhoneNumber:fail user deny' }, token);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('WECHAT_PERMISSION_DENIED');
  });

  it('needs a session', async () => {
    const res = await h.post('/api/phone', { encryptedData: 'AAAA', iv: 'AAAA' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_SESSION_REQUIRED');
  });
});
