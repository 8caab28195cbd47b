import type { WechatPushEvent } from '../../src/push/event-types.js';
import { startWechatStandIn, type StandInPushFormat, type StandInPushMode, type WechatStandIn } from '../../src/testing/index.js';
import { type PushReceiver, startReceiver } from './receiver.js';

const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const TOKEN = 'pushToken2025';
const PLAIN_TOKEN = 'plainToken2025';
const PLAIN_APP = 'wx1111111111111111';
let now = Date.UTC(2025, 0, 1);
let wechat: WechatStandIn;
let safe: PushReceiver;
let plain: PushReceiver;

beforeAll(async () => {
  wechat = await startWechatStandIn({
    now: () => now,
    push: { token: TOKEN, encodingAESKey: KEY },
    apps: [{ appId: PLAIN_APP, appSecret: '1'.repeat(32), push: { token: PLAIN_TOKEN } }],
  });
  safe = await startReceiver({ appId: wechat.appId, token: TOKEN, encodingAESKey: KEY, now: () => now });
  plain = await startReceiver({ appId: PLAIN_APP, token: PLAIN_TOKEN, now: () => now });
});
afterAll(async () => {
  await Promise.all([safe.close(), plain.close()]);
  await wechat.close();
});

const eventOf = (receiver: PushReceiver): WechatPushEvent => {
  const last = receiver.outcomes.at(-1);
  if (last?.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(last)}`);
  return last.event;
};

const CASES: [StandInPushMode, StandInPushFormat][] = [
  ['safe', 'json'],
  ['safe', 'xml'],
  ['compatible', 'json'],
  ['compatible', 'xml'],
];

it.each(CASES)('%s mode, %s: a revocation arrives verified, typed, its codes as text', async (mode, format) => {
  const receipt = await wechat.sendPush(
    safe.url,
    { Event: 'user_authorization_revoke', OpenID: 'oRevoker', AppID: wechat.appId, RevokeInfo: '8' },
    { mode, format },
  );
  expect(receipt).toMatchObject({ status: 200, body: 'success', accepted: true });
  expect(eventOf(safe)).toMatchObject({
    kind: 'authorization_revoked',
    appId: wechat.appId,
    openid: 'oRevoker',
    event: 'user_authorization_revoke',
    createTime: Math.floor(now / 1000),
    revokeInfo: ['8'],
  });
});

it.each(['json', 'xml'] as const)('plaintext mode, %s: a cancellation arrives', async (format) => {
  const receipt = await wechat.sendPush(
    plain.url,
    { Event: 'user_authorization_cancellation', OpenID: 'oGone', AppID: PLAIN_APP },
    { appId: PLAIN_APP, format },
  );
  expect(receipt.accepted).toBe(true);
  expect(eventOf(plain)).toMatchObject({ kind: 'user_cancelled', openid: 'oGone', appId: PLAIN_APP });
});

it('a retry has a new timestamp, nonce, signature and ciphertext, and the same identity', async () => {
  const first = await wechat.sendPush(safe.url, { Event: 'user_info_modified', OpenID: 'oRetried', AppID: wechat.appId });
  const firstEvent = eventOf(safe);
  now += 5_000;
  const second = await first.retry();
  expect(second.accepted).toBe(true);
  const before = new URL(first.sent.url).searchParams;
  const after = new URL(second.sent.url).searchParams;
  expect(after.get('timestamp')).toBe(String(Number(before.get('timestamp')) + 5));
  expect(after.get('nonce')).not.toBe(before.get('nonce'));
  expect(after.get('msg_signature')).not.toBe(before.get('msg_signature'));
  expect(second.sent.body).not.toBe(first.sent.body);
  expect(eventOf(safe)).toMatchObject({ id: firstEvent.id, createTime: firstEvent.createTime, kind: 'user_info_modified' });
});

it('keeps a 64-bit MsgId exact in both formats', async () => {
  for (const format of ['json', 'xml'] as const) {
    await wechat.sendPush(safe.url, { MsgType: 'text', FromUserName: 'oWriter', Content: 'hi', MsgId: 6054768590064713728n }, { format });
    expect(eventOf(safe)).toMatchObject({ kind: 'other', event: 'text', openid: 'oWriter', msgId: '6054768590064713728' });
  }
});

it('refuses to sign a mode the app has no key for, or for an app without push settings', async () => {
  await expect(wechat.sendPush(plain.url, { Event: 'x' }, { appId: PLAIN_APP, mode: 'safe' })).rejects.toThrow(TypeError);
  await expect(wechat.sendPush(plain.url, { Event: 'x' }, { appId: 'wx_unknown' })).rejects.toThrow(TypeError);
  await expect(wechat.sendPush('ftp://127.0.0.1/', { Event: 'x' })).rejects.toThrow(TypeError);
});

it('a push signed with another token is refused, and not accepted', async () => {
  const receipt = await wechat.sendPush(plain.url, { Event: 'user_info_modified' }, { appId: wechat.appId, mode: 'plaintext' });
  expect(receipt).toMatchObject({ status: 401, accepted: false });
  expect(plain.outcomes.at(-1)).toEqual({ kind: 'refused', reason: 'bad_signature' });
});

it('a push replayed verbatim by an on-path party has the same identity, and is refused once its timestamp is stale', async () => {
  const receipt = await wechat.sendPush(safe.url, { Event: 'user_authorization_cancellation', OpenID: 'oReplayed', AppID: wechat.appId });
  const original = eventOf(safe);
  const replay = () => fetch(receipt.sent.url, { method: 'POST', headers: { 'content-type': receipt.sent.contentType }, body: receipt.sent.body });
  expect((await replay()).status).toBe(200);
  expect(eventOf(safe).id).toBe(original.id);
  now += 301_000;
  expect((await replay()).status).toBe(401);
  expect(safe.outcomes.at(-1)).toEqual({ kind: 'refused', reason: 'stale_timestamp' });
});
