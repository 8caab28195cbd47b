import { decryptPush, encryptPush } from '../../src/push/cipher.js';
import { openPush } from '../../src/push/open.js';
import { pushSignature } from '../../src/push/signature.js';
import { at, ENCRYPTIONS, PUSHES, SIGNATURES, WECOM_ECHO } from './vectors.js';

describe('official and peer vectors of the message push', () => {
  it.each(SIGNATURES.map((v) => [v.note, v] as const))('signature: %s', (_note, v) => {
    expect(pushSignature(v.token, v.timestamp, v.nonce)).toBe(v.signature);
  });

  it('answers the official URL check with its echostr', () => {
    const v = SIGNATURES[0]!;
    const query = { signature: v.signature, timestamp: v.timestamp, nonce: v.nonce, echostr: v.echostr };
    expect(openPush({ method: 'GET', query }, { appId: 'wxba5fad812f8e6fb9', token: v.token, now: at(v.timestamp) })).toEqual({
      kind: 'echo',
      echostr: '4375120948345356249',
    });
  });

  it.each(PUSHES.map((v) => [v.note, v] as const))('push: %s', (_note, v) => {
    const outcome = openPush(
      { method: 'POST', query: v.query, body: v.body },
      { appId: v.appId, token: v.token, encodingAESKey: v.encodingAESKey, now: at(v.query.timestamp!) },
    );
    expect(outcome.kind).toBe('event');
    const encrypt = /<Encrypt><!\[CDATA\[([^\]]+)\]\]>/.exec(v.body)?.[1] ?? (JSON.parse(v.body) as { Encrypt: string }).Encrypt;
    expect(pushSignature(v.token, v.query.timestamp!, v.query.nonce!, encrypt)).toBe(v.query.msg_signature);
    const message = decryptPush(v.encodingAESKey, encrypt, v.appId);
    if (v.message !== undefined) expect(message).toBe(v.message);
    if (outcome.kind === 'event') expect(outcome.event.fields).toMatchObject(v.fields ?? {});
  });

  it.each(ENCRYPTIONS.map((v) => [v.note, v] as const))('encryption: %s', (_note, v) => {
    const encrypt = encryptPush(v.encodingAESKey, v.message, v.appId, Buffer.from(v.random));
    expect(encrypt).toBe(v.encrypt);
    expect(decryptPush(v.encodingAESKey, encrypt, v.appId)).toBe(v.message);
    if (v.msgSignature !== undefined) expect(pushSignature(v.token, v.timestamp!, v.nonce!, encrypt)).toBe(v.msgSignature);
  });

  it('checks and decrypts the WeCom echostr, and fails with the other nonce', () => {
    const v = WECOM_ECHO;
    expect(pushSignature(v.token, v.timestamp, v.nonce, v.echostr)).toBe(v.signature);
    expect(pushSignature(v.token, v.timestamp, v.wrongNonce, v.echostr)).not.toBe(v.signature);
    expect(decryptPush(v.encodingAESKey, v.echostr, v.corpId)).toBe(v.plaintext);
  });

  it('reads the official safe-mode JSON push as its event', () => {
    const v = PUSHES[0]!;
    const outcome = openPush(
      { method: 'POST', query: v.query, body: v.body },
      { appId: v.appId, token: v.token, encodingAESKey: v.encodingAESKey, now: at(v.query.timestamp!) },
    );
    expect(outcome).toMatchObject({
      kind: 'event',
      event: {
        kind: 'other',
        appId: 'wxba5fad812f8e6fb9',
        event: 'debug_demo',
        msgType: 'event',
        openid: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY',
        createTime: 1714112445,
      },
    });
  });

  it('keeps a MsgId beyond 2^53 exact (WeCom vector)', () => {
    const v = PUSHES[3]!;
    const outcome = openPush(
      { method: 'POST', query: v.query, body: v.body },
      { appId: v.appId, token: v.token, encodingAESKey: v.encodingAESKey, now: at(v.query.timestamp!) },
    );
    expect(outcome).toMatchObject({ kind: 'event', event: { msgId: '4363689963896700987', openid: 'messense', event: 'text' } });
  });

  it('refuses the official safe-mode push with its (body-blind) signature alone', () => {
    const v = PUSHES[0]!;
    const { msg_signature: _dropped, ...query } = v.query;
    const outcome = openPush(
      { method: 'POST', query, body: v.body },
      { appId: v.appId, token: v.token, encodingAESKey: v.encodingAESKey, now: at(v.query.timestamp!) },
    );
    expect(outcome).toEqual({ kind: 'refused', reason: 'encryption_required' });
  });
});
