import { constants, createCipheriv, randomBytes, sign } from 'node:crypto';
import { inspect } from 'node:util';
import { generateApiSecurityKeys, startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { getWechatClient } from '../../src/index.js';
import { startHarness, type Harness } from '../support/harness.js';

const keys = generateApiSecurityKeys();
const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } as const;
const PHONE = '13912345678';

/** What the test's fetch does to a call: pass it on, or change the request or the answer. */
let tamper: ((url: string, init: RequestInit) => Promise<Response>) | undefined;
let clockOffset = 0;

let wechat: WechatStandIn;
let h: Harness;
beforeAll(async () => {
  wechat = await startWechatStandIn({ apiSecurity: keys.standIn });
  h = await startHarness(
    {
      apiSecurity: keys.server,
      retries: 0,
      now: () => Date.now() + clockOffset,
      fetch: ((url: string, init: RequestInit) => (tamper ? tamper(url, init) : fetch(url, init))) as typeof fetch,
    },
    wechat,
  );
});
afterEach(() => {
  tamper = undefined;
  clockOffset = 0;
});
afterAll(async () => {
  await h.close();
  await wechat.close();
});

/** An answer sealed as WeChat would, but with what the test chooses: AAD, timestamp, ciphertext. */
function forgedAnswer(urlpath: string, plaintext: string, change: { aadPath?: string; timestamp?: number; garbage?: boolean } = {}): Response {
  const appId = wechat.appId;
  const timestamp = String(change.timestamp ?? Math.floor(Date.now() / 1000));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keys.standIn.aesKey, 'base64'), iv);
  cipher.setAAD(Buffer.from(`${change.aadPath ?? urlpath}|${appId}|${timestamp}|${keys.standIn.aesSn}`));
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const data = change.garbage ? randomBytes(sealed.length) : sealed;
  const body = JSON.stringify({ iv: iv.toString('base64'), data: data.toString('base64'), authtag: cipher.getAuthTag().toString('base64') });
  const signature = sign('sha256', Buffer.from(`${urlpath}\n${appId}\n${timestamp}\n${body}`), { key: keys.standIn.platformPrivateKey, ...PSS }).toString(
    'base64',
  );
  return new Response(body, { headers: { 'Wechatmp-Appid': appId, 'Wechatmp-TimeStamp': timestamp, 'Wechatmp-Signature': signature } });
}

const okPhone = JSON.stringify({ errcode: 0, errmsg: 'ok', phone_info: { phoneNumber: PHONE, purePhoneNumber: PHONE, countryCode: 86 } });

async function phoneCall(): Promise<{ status: number; body: any }> {
  const { token, openid } = await h.login();
  return h.post('/api/phone', { code: wechat.issuePhoneCode(openid, PHONE) }, token);
}

describe('API security: getuserphonenumber signed, encrypted and verified', () => {
  it('reads a phone number end to end through a signed, encrypted call and a verified answer', async () => {
    const seen: { headers: Headers; body: string }[] = [];
    tamper = async (url, init) => {
      seen.push({ headers: new Headers(init.headers), body: String(init.body) });
      return fetch(url, init);
    };
    const res = await phoneCall();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ phoneNumber: PHONE, purePhoneNumber: PHONE, countryCode: '86' });
    const call = seen.find((s) => s.headers.get('wechatmp-signature'))!;
    expect(call.headers.get('wechatmp-appid')).toBe(wechat.appId);
    expect(Object.keys(JSON.parse(call.body)).sort()).toEqual(['authtag', 'data', 'iv']);
    expect(call.body).not.toContain(PHONE);
  });

  it('answers 502 when the stand-in refuses a signed text with the SN in it (WeChat errcode 40234)', async () => {
    tamper = async (url, init) => {
      const headers = new Headers(init.headers);
      if (!headers.get('wechatmp-signature')) return fetch(url, init);
      const urlpath = url.split('?')[0];
      const text = `${urlpath}\n${wechat.appId}\n${headers.get('wechatmp-timestamp')}\n${keys.server.rsaSn}\n${init.body}`;
      headers.set('wechatmp-signature', sign('sha256', Buffer.from(text), { key: keys.server.privateKey, ...PSS }).toString('base64'));
      return fetch(url, { ...init, headers });
    };
    const res = await phoneCall();
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('WECHAT_UPSTREAM_ERROR');
  });

  it('refuses an unsigned call itself: a server without the keys gets 40234 (502)', async () => {
    const plain = await startHarness({}, wechat);
    try {
      const { token, openid } = await plain.login();
      const res = await plain.post('/api/phone', { code: wechat.issuePhoneCode(openid, PHONE) }, token);
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('WECHAT_UPSTREAM_ERROR');
    } finally {
      await plain.close();
    }
  });

  const answers: [string, (url: string, init: RequestInit) => Promise<Response>, string][] = [
    [
      'a bad signature',
      async (url, init) => {
        const real = await fetch(url, init);
        const headers = new Headers(real.headers);
        const sig = Buffer.from(headers.get('wechatmp-signature')!, 'base64');
        sig[10] ^= 1;
        headers.set('wechatmp-signature', sig.toString('base64'));
        return new Response(await real.text(), { headers });
      },
      'bad-signature',
    ],
    [
      'no signature',
      async (url, init) => {
        const real = await fetch(url, init);
        const headers = new Headers(real.headers);
        headers.delete('wechatmp-signature');
        return new Response(await real.text(), { headers });
      },
      'unsigned',
    ],
    ['a plain unsigned success', async () => new Response(okPhone), 'unsigned'],
    [
      'an old timestamp (a replayed answer)',
      async (url) => forgedAnswer(url.split('?')[0]!, okPhone, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      'stale',
    ],
    [
      'an AAD of another urlpath',
      async (url) => forgedAnswer(url.split('?')[0]!, okPhone, { aadPath: 'https://api.weixin.qq.com/wxa/other' }),
      'undecryptable',
    ],
    ['a valid signature over a body that does not decrypt', async (url) => forgedAnswer(url.split('?')[0]!, okPhone, { garbage: true }), 'undecryptable'],
  ];

  it.each(answers)('answers 502 WECHAT_UPSTREAM_ERROR, never a phone number, for an answer with %s', async (_name, answer, reason) => {
    h.logs.length = 0;
    tamper = async (url, init) => (url.includes('getuserphonenumber') ? answer(url, init) : fetch(url, init));
    const res = await phoneCall();
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('WECHAT_UPSTREAM_ERROR');
    expect(JSON.stringify(res.body)).not.toContain(PHONE);
    const logs = h.logs.join('\n');
    const refused = h.logs.map((l) => JSON.parse(l)).find((l) => l.event === 'wechat.answer_unverified');
    expect(refused).toMatchObject({ api: 'getuserphonenumber', reason });
    for (const secret of [PHONE, keys.server.aesKey, 'PRIVATE KEY']) expect(logs).not.toContain(secret);
  });

  it('refuses a real answer replayed six minutes later', async () => {
    let captured: { text: string; headers: Headers } | undefined;
    tamper = async (url, init) => {
      if (!url.includes('getuserphonenumber')) return fetch(url, init);
      if (captured) return new Response(captured.text, { headers: captured.headers });
      const real = await fetch(url, init);
      captured = { text: await real.text(), headers: real.headers };
      return new Response(captured.text, { headers: captured.headers });
    };
    expect((await phoneCall()).status).toBe(200);
    clockOffset = 6 * 60_000;
    const res = await phoneCall();
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('WECHAT_UPSTREAM_ERROR');
  });

  it('passes WeChat’s own sealed errors on as typed errors (a used phone code is 401 WECHAT_CODE_INVALID)', async () => {
    const { token, openid } = await h.login();
    const code = wechat.issuePhoneCode(openid, PHONE);
    expect((await h.post('/api/phone', { code }, token)).status).toBe(200);
    const again = await h.post('/api/phone', { code }, token);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('WECHAT_CODE_INVALID');
  });

  it('signs the newer calls too: checkencryptedmsg, getuserriskrank, getuserencryptkey (the stand-in refuses them unsigned)', async () => {
    const wx = getWechatClient(h.options);
    const { openid } = await h.login();
    const seen: { url: string; signed: boolean; body: string }[] = [];
    tamper = async (url, init) => {
      seen.push({ url, signed: new Headers(init.headers).has('wechatmp-signature'), body: String(init.body) });
      return fetch(url, init);
    };
    expect((await wx.checkEncryptedData(wechat.encryptPhone(openid).encryptedData)).valid).toBe(true);
    expect(await wx.getUserRiskRank({ openid, scene: 0, clientIp: '127.0.0.1' })).toEqual({ riskRank: 0, unionId: 0 });
    expect(await wx.getUserEncryptKey({ openid, sessionKey: wechat.sessionKeyOf(openid)! })).toHaveLength(1);
    const calls = seen.filter((c) => !c.url.includes('/cgi-bin/'));
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call.signed).toBe(true);
      expect([...new URL(call.url).searchParams.keys()]).toEqual(['access_token']);
      expect(call.body).not.toContain(openid);
    }
  });

  it('never shows a key in the context or the client, printed at any depth', () => {
    const shown = [
      inspect(getWechatClient(h.options), { depth: 20 }),
      JSON.stringify(getWechatClient(h.options)),
      inspect(h.options.apiSecurity && getWechatClient(h.options), { showHidden: true, depth: 20 }),
    ].join('\n');
    expect(shown).not.toContain(keys.server.aesKey);
    expect(shown).not.toContain('PRIVATE KEY');
  });
});
