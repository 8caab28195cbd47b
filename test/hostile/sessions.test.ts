import { decodeRecord } from '../../src/session/record.js';
import { hashToken } from '../../src/session/token.js';
import { startTarget, type Target } from './target.js';

/**
 * What bad input must never do to a session: end it, change it or renew
 * it, the caller's or anyone else's. Checked against the store's contents
 * with the clock moved so that any renewal would show.
 */

let target: Target;
beforeEach(async () => {
  target = await startTarget(2);
});
afterEach(() => target.close());

const post = (path: string, body: unknown, token?: string) =>
  fetch(`${target.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  }).then(async (res) => ({ status: res.status, body: (await res.json().catch(() => undefined)) as any }));

const getSession = (token: string) => fetch(`${target.url}/wechat/session`, { headers: { authorization: `Bearer ${token}` } });

/** The stored record's last renewal (seconds), read around the counting wrapper. */
async function renewedAt(token: string): Promise<number | undefined> {
  const value = await target.store.get(`${target.wechat.appId}:s:${hashToken(token)}`);
  return value ? decodeRecord(value)?.r : undefined;
}

describe('a failed phone lookup', () => {
  it('leaves the session valid and unrenewed when the session_key does not match; a success renews it', async () => {
    const { token, openid } = target.victims[0]!;
    target.wechat.issueLoginCode({ openid }); // wx.login again on the phone: WeChat's key moved on
    const stale = target.wechat.encryptPhone(openid, '13912345678'); // made with the new key, not the session's
    target.advance(601_000); // renewal is due
    const before = await target.dump();
    for (const path of ['/wechat/phone', '/alone/phone']) {
      const res = await post(path, stale, token);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('WECHAT_SESSION_KEY_MISMATCH');
    }
    expect(await target.dump()).toEqual(before);
    const at = await renewedAt(token);
    expect((await getSession(token)).status).toBe(200); // still valid: the client logs in again when it chooses
    expect(await renewedAt(token)).toBeGreaterThan(at!);
  });

  it.each([
    ['a phone code WeChat never issued', () => ({ code: 'not-a-real-phone-code' })],
    ['a refused permission', () => ({ errMsg: 'getPhoneNumber:fail user deny' })],
    ['an empty body', () => ({})],
    ['ciphertext of the wrong size', () => ({ encryptedData: 'AAAA', iv: 'AAAAAAAAAAAAAAAAAAAAAA==' })],
  ])('leaves the session unrenewed on %s', async (_what, body) => {
    const { token } = target.victims[0]!;
    target.advance(601_000);
    const before = await target.dump();
    const res = await post('/wechat/phone', body(), token);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await target.dump()).toEqual(before);
  });

  it('renews a due session once the lookup succeeded', async () => {
    const { token, openid } = target.victims[0]!;
    target.advance(601_000);
    const at = await renewedAt(token);
    const res = await post('/wechat/phone', target.wechat.encryptPhone(openid, '13912345678'), token);
    expect(res.status).toBe(200);
    expect(await renewedAt(token)).toBe(at! + 601);
  });
});

describe('a login whose own fields fail', () => {
  it.each([
    [
      'a forged signature',
      (openid: string) => ({ ...target.wechat.encryptUserInfo(openid), signature: 'f'.repeat(40), encryptedData: undefined, iv: undefined }),
    ],
    [
      'userInfo made before the latest wx.login',
      (openid: string) => {
        const payload = target.wechat.encryptUserInfo(openid);
        return { encryptedData: payload.encryptedData, iv: payload.iv };
      },
    ],
  ])("with %s creates no session and ends none of the user's", async (_what, legacy) => {
    const victim = target.victims[0]!;
    const fields = legacy(victim.openid);
    const code = target.wechat.issueLoginCode({ openid: victim.openid });
    const before = await target.dump();
    const res = await post('/wechat/login', { code, ...fields });
    expect(res.status).toBe(401);
    expect(['WECHAT_SIGNATURE_INVALID', 'WECHAT_SESSION_KEY_MISMATCH']).toContain(res.body.error.code);
    expect(await target.dump()).toEqual(before);
    expect((await getSession(victim.token)).status).toBe(200);
  });

  it('does not take down a concurrent request that shares its code and passes', async () => {
    const { openid } = target.victims[1]!;
    const code = target.wechat.issueLoginCode({ openid });
    const good = target.wechat.encryptUserInfo(openid);
    target.wechat.fail('slow', { api: 'jscode2session', times: 1, delayMs: 100 });
    const [forged, honest] = await Promise.all([
      post('/wechat/login', { code, rawData: good.rawData, signature: '0'.repeat(40) }),
      post('/wechat/login', { code, rawData: good.rawData, signature: good.signature }),
    ]);
    expect(forged.body.error.code).toBe('WECHAT_SIGNATURE_INVALID');
    expect(honest.status).toBe(200);
    expect((await getSession(honest.body.token)).status).toBe(200);
    expect(target.wechat.calls.jscode2session).toBe(3); // two victims at start, then this one shared exchange
  });
});

describe('junk aimed at other users', () => {
  it("no token-shaped guess, logout or phone request ends or changes another user's session", async () => {
    const [a, b] = target.victims as [{ token: string; openid: string }, { token: string; openid: string }];
    target.advance(601_000);
    const before = await target.dump();
    const guesses = [
      b.token.slice(0, 31) + (b.token.endsWith('A') ? 'B' : 'A'),
      b.token.toUpperCase(),
      `${b.token.slice(1)}x`,
      hashToken(b.token).slice(0, 32),
    ];
    for (const guess of guesses) {
      expect((await post('/wechat/logout', {}, guess)).status).toBe(401);
      expect((await post('/alone/logout', {}, guess)).status).toBe(401);
      expect((await post('/wechat/phone', target.wechat.encryptPhone(b.openid), guess)).status).toBe(401);
    }
    // a's own phone request carrying b's data: a's key does not open it, b is untouched
    expect((await post('/wechat/phone', target.wechat.encryptPhone(b.openid), a.token)).body.error.code).toBe('WECHAT_SESSION_KEY_MISMATCH');
    expect(await target.dump()).toEqual(before);
  });
});
