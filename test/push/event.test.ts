import { toPushEvent } from '../../src/push/event.js';
import { checkPushHandlers, runPushHandler, type WechatPushHandlers } from '../../src/push/handlers.js';
import { openPush } from '../../src/push/open.js';
import type { PushFields } from '../../src/push/values.js';
import { serialize } from '../../src/testing/push-build.js';
import { APP, CONFIG, NOW_SECONDS, REVOKE, safePush } from './forge.js';

const event = (fields: PushFields) => toPushEvent(fields, APP);
const idOf = (fields: PushFields) => event(fields).id;

describe('typed events', () => {
  it.each([
    ['8', ['8']],
    ['1,8', ['1', '8']],
    [' 13 ', ['13']],
    [8, ['8']],
    ['99', ['99']],
    [
      [8, '21'],
      ['8', '21'],
    ],
    [{ Item: ['2', '6'] }, ['2', '6']],
    [undefined, []],
  ])('reads RevokeInfo %j as codes %j', (revokeInfo, codes) => {
    expect(event({ ...REVOKE, RevokeInfo: revokeInfo as PushFields[string] })).toMatchObject({ kind: 'authorization_revoked', revokeInfo: codes });
  });

  it('reads a cancellation, with its user and every field kept', () => {
    const fields = {
      ...REVOKE,
      Event: 'user_authorization_cancellation',
      RevokeInfo: undefined,
      UnionID: 'uUser',
      PluginID: 'wxPlugin',
    } as unknown as PushFields;
    expect(event(fields)).toEqual({
      kind: 'user_cancelled',
      id: expect.stringMatching(/^[0-9a-f]{64}$/),
      appId: APP,
      event: 'user_authorization_cancellation',
      msgType: 'event',
      openid: 'oUser',
      unionid: 'uUser',
      createTime: NOW_SECONDS,
      msgId: undefined,
      fields,
    });
  });

  it('takes a user_info_modified without OpenID (it has been seen), never using the push service as the user', () => {
    expect(event({ ...REVOKE, Event: 'user_info_modified', OpenID: '' })).toMatchObject({ kind: 'user_info_modified', openid: undefined });
  });

  it('reads other pushes: a message by its MsgType, a payment push by OpenId, MsgType in any case', () => {
    expect(event({ FromUserName: 'oWriter', CreateTime: '1', MsgType: 'TEXT', Content: 'hi', MsgId: 12345 })).toMatchObject({
      kind: 'other',
      event: 'text',
      msgType: 'text',
      openid: 'oWriter',
      msgId: '12345',
    });
    expect(event({ FromUserName: 'oPushService', CreateTime: 1, MsgType: 'Event', Event: 'xpay_goods_deliver_notify', OpenId: 'oBuyer' })).toMatchObject({
      kind: 'other',
      msgType: 'event',
      openid: 'oBuyer',
    });
    expect(event({ CreateTime: 1, Event: 'USER_AUTHORIZATION_REVOKE', OpenID: 'o' })).toMatchObject({ kind: 'authorization_revoked', msgType: 'event' });
  });
});

describe('identity', () => {
  it('differs for two users cancelled in the same second by the same push service (FromUserName + CreateTime is not enough)', () => {
    const cancel = { ...REVOKE, Event: 'user_authorization_cancellation' };
    expect(idOf({ ...cancel, OpenID: 'oAlice' })).not.toBe(idOf({ ...cancel, OpenID: 'oBob' }));
  });

  it('is the same for the same message in JSON and in XML, and across payment-push retries', () => {
    const json = JSON.parse(serialize(REVOKE, 'json')) as PushFields;
    const xml = openPush(safePush(serialize(REVOKE, 'xml')), CONFIG);
    expect(xml.kind === 'event' && xml.event.id).toBe(idOf(json));
    const notice = { CreateTime: 1, MsgType: 'event', Event: 'xpay_goods_deliver_notify', OpenId: 'oBuyer', OutTradeNo: 'ord_00000001' };
    expect(idOf({ ...notice, RetryTimes: 0 })).toBe(idOf({ ...notice, RetryTimes: 3 }));
    expect(idOf(notice)).not.toBe(idOf({ ...notice, OutTradeNo: 'ord_00000002' }));
  });

  it('follows MsgId when there is one, and the app always', () => {
    const message = { FromUserName: 'oWriter', CreateTime: 1, MsgType: 'text', MsgId: '6054768590064713728' };
    expect(idOf({ ...message, Content: 'a' })).toBe(idOf({ ...message, Content: 'b' }));
    expect(idOf(message)).not.toBe(idOf({ ...message, MsgId: '6054768590064713729' }));
    expect(toPushEvent(message, APP).id).not.toBe(toPushEvent(message, 'wx0000000000000000').id);
  });

  it('is the same for a push replayed or retried with a new timestamp, nonce and signature', () => {
    const first = openPush(safePush(REVOKE, { nonce: '111', timestamp: NOW_SECONDS - 20 }), CONFIG);
    const again = openPush(safePush(REVOKE, { nonce: '222', timestamp: NOW_SECONDS }), CONFIG);
    expect(first.kind).toBe('event');
    expect(again.kind === 'event' && again.event.id).toBe(first.kind === 'event' && first.event.id);
  });
});

describe('handlers', () => {
  it('runs the handler of each kind, and nothing for a kind without one', async () => {
    const seen: string[] = [];
    const handlers: WechatPushHandlers = {
      onUserCancelled: (e) => seen.push(`cancelled ${e.openid}`),
      onAuthorizationRevoked: async (e) => seen.push(`revoked ${e.revokeInfo.join()}`),
      onEvent: (e) => seen.push(`other ${e.event}`),
    };
    await runPushHandler(handlers, event({ ...REVOKE, Event: 'user_authorization_cancellation' }));
    await runPushHandler(handlers, event(REVOKE));
    await runPushHandler(handlers, event({ ...REVOKE, Event: 'user_info_modified' }));
    await runPushHandler(handlers, event({ ...REVOKE, Event: 'debug_demo' }));
    expect(seen).toEqual(['cancelled oUser', 'revoked 8', 'other debug_demo']);
  });

  it('passes a handler failure to the caller', async () => {
    await expect(runPushHandler({ onAuthorizationRevoked: () => Promise.reject(new Error('db down')) }, event(REVOKE))).rejects.toThrow('db down');
  });

  it('refuses handlers that are not functions, misspelt, or not an object', () => {
    expect(() => checkPushHandlers({ onUserCanceled() {} })).toThrow(TypeError);
    expect(() => checkPushHandlers({ onEvent: 'log' })).toThrow(TypeError);
    expect(() => checkPushHandlers(null)).toThrow(TypeError);
    expect(() => checkPushHandlers({ onUserCancelled() {}, onEvent: undefined })).not.toThrow();
  });
});
