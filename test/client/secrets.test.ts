import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { createClient } from 'redis';
import { redisStore } from '../../adapters/redis.js';
import { createWechatClient, getWechatClient, type WechatClientOptions } from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { recordingLogger, startHarness } from '../support/harness.js';

const SECRET = `s3cr3t${randomBytes(13).toString('hex')}`;
const WRONG_SECRET = `wr0ng${randomBytes(13).toString('hex')}`;

let redis: ReturnType<typeof createClient>;
let wechat: WechatStandIn;
const prefix = `secret-test-${randomBytes(6).toString('hex')}:`;
const logs: string[] = [];
const seen: string[] = [];

beforeAll(async () => {
  if (!process.env.REDIS_URL) throw new Error('REDIS_URL is unset: run through jest (globalSetup starts redis-server)');
  redis = createClient({ url: process.env.REDIS_URL });
  await redis.connect();
  wechat = await startWechatStandIn({ appSecret: SECRET });
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(keys);
  await redis.quit();
  await wechat.close();
});

function client(extra: Partial<WechatClientOptions> = {}) {
  return createWechatClient({
    appId: wechat.appId,
    appSecret: SECRET,
    apiBaseUrl: wechat.url,
    store: redisStore({ client: redis, prefix }),
    retryDelay: 5,
    timeout: 200,
    logger: recordingLogger(logs),
    ...extra,
  });
}

/** Remember everything an error could show: message, JSON, inspection with its causes. */
async function failure(promise: Promise<unknown>): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  seen.push((err as Error).message, JSON.stringify(err), inspect(err, { depth: 10, showHidden: true }));
}

it('keeps the AppSecret out of store keys and values, logs, errors and the client object', async () => {
  const wx = client();
  const classic = client({ accessToken: 'classic' });
  await wx.getPhoneNumber(wechat.issuePhoneCode('oSecretUser'));
  await classic.getAccessToken();
  wechat.invalidateAccessTokens();
  await wx.getPhoneNumber(wechat.issuePhoneCode('oSecretUser'));
  wechat.fail('busy', { api: 'stable_token', times: 1 });
  wechat.invalidateAccessTokens();
  await wx.getPhoneNumber(wechat.issuePhoneCode('oSecretUser'));
  wechat.fail('busy', { api: 'token' });
  await failure(client({ accessToken: 'classic', store: undefined }).getAccessToken());
  wechat.heal();
  wechat.fail('reset', { api: 'token' });
  await failure(client({ accessToken: 'classic', store: undefined }).getAccessToken());
  wechat.heal();
  wechat.fail('hang', { api: 'token', times: 1 });
  await failure(client({ accessToken: 'classic', store: undefined }).getAccessToken());
  await failure(client({ accessToken: 'classic', apiBaseUrl: 'http://127.0.0.1:9', store: undefined }).getAccessToken());
  await failure(client({ appSecret: WRONG_SECRET, store: undefined }).getAccessToken());
  await failure(client({ appSecret: WRONG_SECRET, accessToken: 'classic', store: undefined }).getAccessToken());
  await failure(client({ appSecret: WRONG_SECRET }).code2Session(wechat.issueLoginCode()));
  seen.push(JSON.stringify(wx), inspect(wx, { depth: 10, showHidden: true }));

  const keys = await redis.keys(`${prefix}*`);
  expect(keys.sort()).toEqual([`${prefix}${wechat.appId}:at:classic`, `${prefix}${wechat.appId}:at:stable`]);
  for (const key of keys) seen.push(key, String(await redis.get(key)));
  expect(logs.some((line) => line.includes('wechat.retryable'))).toBe(true);
  seen.push(...logs);
  const everything = seen.join('\n');
  expect(everything).toContain(wechat.appId); // the scan sees real content
  expect(everything).not.toContain(SECRET);
  expect(everything).not.toContain(WRONG_SECRET);
});

it('keeps the AppSecret out of what the middleware logs and answers', async () => {
  const h = await startHarness({ appSecret: SECRET, store: redisStore({ client: redis, prefix }), verifySessionKey: true }, wechat);
  try {
    const { token, openid } = await h.login();
    expect((await h.post('/api/phone', { code: wechat.issuePhoneCode(openid) }, token)).status).toBe(200);
    wechat.invalidateAccessTokens();
    wechat.fail('busy', { api: 'stable_token', times: 1 });
    expect((await h.post('/api/phone', { code: wechat.issuePhoneCode(openid) }, token)).status).toBe(200);
    wechat.issueLoginCode({ openid });
    const mismatch = await h.post('/api/phone', wechat.encryptPhone(openid), token);
    expect(mismatch.body.error.code).toBe('WECHAT_SESSION_KEY_MISMATCH');
    wechat.fail('busy', { api: 'getuserphonenumber' });
    const busy = await h.post('/api/phone', { code: wechat.issuePhoneCode(openid) }, token);
    expect(busy.status).toBe(502);
    const text = [...h.logs, JSON.stringify(mismatch.body), JSON.stringify(busy.body)].join('\n');
    expect(h.logs.length).toBeGreaterThan(0);
    expect(text).not.toContain(SECRET);
  } finally {
    wechat.heal();
    await h.close();
  }
});

it('util.inspect of a client, at any depth and with hidden fields, shows neither the AppSecret nor the access_token', async () => {
  const options = { appId: wechat.appId, appSecret: SECRET, apiBaseUrl: wechat.url, logger: false as const };
  const clients = [getWechatClient(options), client(), client({ accessToken: 'classic', store: undefined })];
  for (const wx of clients) {
    const token = await wx.getAccessToken();
    await wx.getPhoneNumber(wechat.issuePhoneCode('oInspectUser'));
    const shown = [inspect(wx, { depth: Infinity, showHidden: true, getters: true }), JSON.stringify(wx)].join('\n');
    expect(shown).toContain(wechat.appId); // the inspection sees the client
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(token);
  }
});
