import { signXpayRequest } from '../../src/xpay/server.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';

const KEYS = { appKey: 'live-app-key', sandboxAppKey: 'sandbox-app-key' };
const OTHER_APP = 'wx2222222222222222';
let wechat: WechatStandIn;
let token: string;

beforeAll(async () => {
  wechat = await startWechatStandIn({ virtualPayment: KEYS, apps: [{ appId: OTHER_APP, appSecret: '2'.repeat(32) }] });
  const res = await fetch(`${wechat.url}/cgi-bin/stable_token`, {
    method: 'POST',
    body: JSON.stringify({ grant_type: 'client_credential', appid: wechat.appId, secret: wechat.appSecret }),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
});
afterAll(() => wechat.close());

/** A call signed as the library signs it; `sig` overrides what goes in the query. */
async function call(uri: string, fields: Record<string, unknown>, sessionKey: string | undefined, sig: Record<string, string> = {}) {
  const body = JSON.stringify({ env: 0, user_ip: '203.0.113.7', ...fields });
  const signed = signXpayRequest(KEYS, uri, body, sessionKey);
  const query = new URLSearchParams({ access_token: token, pay_sig: signed.pay_sig, signature: signed.signature ?? '', ...sig });
  const res = await fetch(`${wechat.url}${uri}?${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return (await res.json()) as { errcode: number; errmsg: string; [name: string]: unknown };
}

function loggedIn(openid: string): string {
  wechat.issueLoginCode({ openid });
  return wechat.sessionKeyOf(openid)!;
}

it('answers query_user_balance signed with the AppKey and the newest session_key', async () => {
  const key = loggedIn('oBalance');
  wechat.setTokenBalance('oBalance', 120);
  expect(await call('/xpay/query_user_balance', { openid: 'oBalance' }, key)).toMatchObject({ errcode: 0, balance: 120 });
  expect(wechat.calls['xpay/query_user_balance']).toBeGreaterThan(0);
});

it('refuses an older session_key once the user logged in again (268490003, the user-state signature)', async () => {
  const older = loggedIn('oTwoDevices');
  const newer = loggedIn('oTwoDevices');
  expect(await call('/xpay/query_user_balance', { openid: 'oTwoDevices' }, older)).toMatchObject({
    errcode: 268490003,
    errmsg: expect.stringContaining('用户态签名(signature)'),
  });
  expect(await call('/xpay/query_user_balance', { openid: 'oTwoDevices' }, newer)).toMatchObject({ errcode: 0 });
});

it('refuses a wrong AppKey, the other env key, and a pay_sig over another body (268490003, pay_sig)', async () => {
  const key = loggedIn('oPaySig');
  const body = JSON.stringify({ openid: 'oPaySig', env: 0, user_ip: '203.0.113.7' });
  const wrongKey = signXpayRequest({ appKey: 'not-the-key' }, '/xpay/query_user_balance', body).pay_sig;
  const sandboxKey = signXpayRequest({ appKey: KEYS.sandboxAppKey }, '/xpay/query_user_balance', body).pay_sig;
  const otherUri = signXpayRequest(KEYS, '/xpay/currency_pay', body).pay_sig;
  for (const pay_sig of [wrongKey, sandboxKey, otherUri, wrongKey.toUpperCase(), '']) {
    expect(await call('/xpay/query_user_balance', { openid: 'oPaySig' }, key, { pay_sig })).toMatchObject({
      errcode: 268490003,
      errmsg: expect.stringContaining('支付签名(pay_sig)'),
    });
  }
});

it('answers 268490009 for a user without a live session_key: never logged in, or expired', async () => {
  const key = loggedIn('oExpired');
  wechat.expireSessionKey('oExpired');
  expect(wechat.sessionKeyOf('oExpired')).toBeUndefined();
  expect((await call('/xpay/query_user_balance', { openid: 'oExpired' }, key)).errcode).toBe(268490009);
  expect((await call('/xpay/query_user_balance', { openid: 'oNeverSeen' }, key)).errcode).toBe(268490009);
  const fresh = loggedIn('oExpired');
  expect((await call('/xpay/query_user_balance', { openid: 'oExpired' }, fresh)).errcode).toBe(0);
});

it('refuses an app without virtual payment, whatever it signs', async () => {
  const res = await fetch(`${wechat.url}/cgi-bin/stable_token`, {
    method: 'POST',
    body: JSON.stringify({ grant_type: 'client_credential', appid: OTHER_APP, secret: '2'.repeat(32) }),
  });
  const other = ((await res.json()) as { access_token: string }).access_token;
  const body = JSON.stringify({ openid: 'o', env: 0, user_ip: '1.1.1.1' });
  const signed = signXpayRequest(KEYS, '/xpay/query_user_balance', body);
  const answer = await fetch(`${wechat.url}/xpay/query_user_balance?access_token=${other}&pay_sig=${signed.pay_sig}&signature=x`, { method: 'POST', body });
  expect(((await answer.json()) as { errcode: number }).errcode).toBe(268490003);
});

it('spends tokens once per order_id, refuses overdrafts, and gives a payment back once', async () => {
  const key = loggedIn('oSpender');
  wechat.setTokenBalance('oSpender', 100);
  const payitem = JSON.stringify([{ productid: 'gem', unit_price: 30, quantity: 1 }]);
  const pay = { openid: 'oSpender', amount: 30, order_id: 'pay_0001', payitem, remark: 'gem' };
  expect(await call('/xpay/currency_pay', pay, key)).toMatchObject({ errcode: 0, order_id: 'pay_0001', balance: 70 });
  expect((await call('/xpay/currency_pay', pay, key)).errcode).toBe(268490004);
  expect((await call('/xpay/currency_pay', { ...pay, order_id: 'pay_0002', amount: 71 }, key)).errcode).toBe(268490006);
  const cancel = { openid: 'oSpender', pay_order_id: 'pay_0001', order_id: 'refund_0001', amount: 30 };
  expect(await call('/xpay/cancel_currency_pay', { ...cancel, amount: 29 }, key)).toMatchObject({ errcode: 268490002 });
  expect(await call('/xpay/cancel_currency_pay', cancel, key)).toMatchObject({ errcode: 0, order_id: 'refund_0001' });
  expect((await call('/xpay/cancel_currency_pay', cancel, key)).errcode).toBe(268490005);
  expect(await call('/xpay/query_user_balance', { openid: 'oSpender' }, key)).toMatchObject({ errcode: 0, balance: 100 });
});

it('keeps sandbox balances apart and checks their pay_sig with the sandbox key', async () => {
  const key = loggedIn('oSandbox');
  wechat.setTokenBalance('oSandbox', 5, { env: 1 });
  expect(await call('/xpay/query_user_balance', { openid: 'oSandbox', env: 1 }, key)).toMatchObject({ errcode: 0, balance: 5 });
  expect(await call('/xpay/query_user_balance', { openid: 'oSandbox' }, key)).toMatchObject({ errcode: 0, balance: 0 });
});

it('answers a token error before any signature check, and a missing field with 268490002', async () => {
  const key = loggedIn('oFields');
  expect((await call('/xpay/query_user_balance', { openid: 'oFields' }, key, { access_token: 'stale' })).errcode).toBe(40014);
  expect((await call('/xpay/query_user_balance', { openid: 'oFields', user_ip: '' }, key)).errcode).toBe(268490002);
  expect((await call('/xpay/currency_pay', { openid: 'oFields', amount: 1 }, key)).errcode).toBe(268490002);
  expect((await call('/xpay/query_user_balance', { openid: '' }, key)).errcode).toBe(268490001);
});
