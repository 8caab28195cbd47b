import { constants, createCipheriv, createHash, randomBytes, sign } from 'node:crypto';
import { generateApiSecurityKeys, loginStateSignature, startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';

const keys = generateApiSecurityKeys();
const SECURE_APP = 'wx5ec0000000000001';
let wechat: WechatStandIn;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  wechat = await startWechatStandIn({ apps: [{ appId: SECURE_APP, appSecret: '5'.repeat(32), apiSecurity: keys.standIn }] });
  for (const [appid, secret] of [
    [wechat.appId, wechat.appSecret],
    [SECURE_APP, '5'.repeat(32)],
  ]) {
    const res = await fetch(`${wechat.url}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid, secret }) });
    tokens[appid!] = ((await res.json()) as { access_token: string }).access_token;
  }
});
afterAll(() => wechat.close());

async function post(path: string, body: unknown, query: Record<string, string> = {}, appId = wechat.appId, headers: Record<string, string> = {}) {
  const q = new URLSearchParams({ access_token: tokens[appId]!, ...query });
  const res = await fetch(`${wechat.url}${path}?${q}`, {
    method: 'POST',
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { json: (await res.json()) as Record<string, any>, headers: res.headers };
}

it('checkencryptedmsg knows the encryptedData it made (by SHA-256 of the base64 text), and only that', async () => {
  const openid = 'oStandInCheck';
  wechat.issueLoginCode({ openid });
  const { encryptedData } = wechat.encryptPhone(openid);
  const hash = createHash('sha256').update(encryptedData).digest('hex');
  expect((await post('/wxa/business/checkencryptedmsg', { encrypted_msg_hash: hash })).json).toMatchObject({
    errcode: 0,
    vaild: true,
    create_time: expect.any(Number),
  });
  expect((await post('/wxa/business/checkencryptedmsg', { encrypted_msg_hash: 'a'.repeat(64) })).json.errcode).toBe(1);
  expect((await post('/wxa/business/checkencryptedmsg', { encrypted_msg_hash: 'zz' })).json.errcode).toBe(40097);
});

it('getuserriskrank answers the rank set per openid, with unoin_id (sic)', async () => {
  wechat.setRiskRank('oStandInRisk', 3, { unionId: 42 });
  const body = { appid: wechat.appId, openid: 'oStandInRisk', scene: 0, client_ip: '203.0.113.9' };
  expect((await post('/wxa/getuserriskrank', body)).json).toMatchObject({ errcode: 0, risk_rank: 3, unoin_id: 42 });
  expect((await post('/wxa/getuserriskrank', { ...body, openid: 'oUnranked' })).json.risk_rank).toBe(0);
  expect((await post('/wxa/getuserriskrank', { ...body, scene: 7 })).json.errcode).toBe(40097);
  expect(() => wechat.setRiskRank('o', 5)).toThrow(TypeError);
  const control = await fetch(`${wechat.url}/__standin/risk-rank`, { method: 'POST', body: JSON.stringify({ openid: 'oByControl', rank: 4 }) });
  expect(control.status).toBe(200);
  expect((await post('/wxa/getuserriskrank', { ...body, openid: 'oByControl' })).json.risk_rank).toBe(4);
  const bad = await fetch(`${wechat.url}/__standin/risk-rank`, { method: 'POST', body: JSON.stringify({ openid: 'oByControl', rank: 9 }) });
  expect(bad.status).toBe(400);
});

it('getuserencryptkey takes everything in the query: a body is 87009', async () => {
  const openid = 'oStandInKeys';
  wechat.issueLoginCode({ openid });
  const query = { openid, signature: loginStateSignature(wechat.sessionKeyOf(openid)!), sig_method: 'hmac_sha256' };
  expect((await post('/wxa/business/getuserencryptkey', undefined, query)).json.key_info_list).toHaveLength(1);
  expect((await post('/wxa/business/getuserencryptkey', '{}', query)).json.errcode).toBe(87009);
});

describe('API security on the stand-in', () => {
  const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } as const;
  /** A sealed getuserriskrank request; `withSn` puts the RSA SN inside the signed text, as one doc page did. */
  function sealed(withSn: boolean) {
    const urlpath = `${wechat.url}/wxa/getuserriskrank`;
    const ts = String(Math.floor(Date.now() / 1000));
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(keys.server.aesKey, 'base64'), iv);
    cipher.setAAD(Buffer.from(`${urlpath}|${SECURE_APP}|${ts}|${keys.server.aesSn}`));
    const plain = JSON.stringify({
      appid: SECURE_APP,
      openid: 'oSigned',
      scene: 0,
      client_ip: '203.0.113.9',
      _n: 'n0nce',
      _appid: SECURE_APP,
      _timestamp: Number(ts),
    });
    const data = Buffer.concat([cipher.update(plain), cipher.final()]);
    const body = JSON.stringify({ iv: iv.toString('base64'), data: data.toString('base64'), authtag: cipher.getAuthTag().toString('base64') });
    const text = withSn ? `${urlpath}\n${SECURE_APP}\n${ts}\n${keys.server.rsaSn}\n${body}` : `${urlpath}\n${SECURE_APP}\n${ts}\n${body}`;
    const signature = sign('sha256', Buffer.from(text), { key: keys.server.privateKey, ...PSS }).toString('base64');
    return { body, headers: { 'Wechatmp-Appid': SECURE_APP, 'Wechatmp-TimeStamp': ts, 'Wechatmp-Signature': signature } };
  }

  it('answers a correctly signed request sealed and signed by the platform', async () => {
    const { body, headers } = sealed(false);
    const res = await post('/wxa/getuserriskrank', body, {}, SECURE_APP, headers);
    expect(Object.keys(res.json).sort()).toEqual(['authtag', 'data', 'iv']);
    expect(res.headers.get('wechatmp-serial')).toBe(keys.standIn.platformSn);
    expect(res.headers.get('wechatmp-signature')).toBeTruthy();
  });

  it('refuses a signed text with the SN inside it, and an unsigned call, with 40234', async () => {
    const { body, headers } = sealed(true);
    expect((await post('/wxa/getuserriskrank', body, {}, SECURE_APP, headers)).json.errcode).toBe(40234);
    expect((await post('/wxa/getuserriskrank', { appid: SECURE_APP, openid: 'o', scene: 0, client_ip: '1.2.3.4' }, {}, SECURE_APP)).json.errcode).toBe(40234);
  });
});
