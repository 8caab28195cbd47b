import vectors from '../fixtures/wechat-vectors.json';
import { decryptWechatData, loginStateSignature, verifyUserSignature, WechatError } from '../../src/index.js';

interface Vector {
  kind: 'decrypt' | 'signature';
  note: string;
  appid: string | null;
  sessionKey: string;
  iv?: string;
  encryptedData?: string;
  expectedPlaintext?: string | null;
  expect?: string;
  algorithm?: string;
  rawData?: string;
  signature?: string;
  expectMatch?: boolean;
}

const all = vectors as unknown as Vector[];
const decrypts = all.filter((v) => v.kind === 'decrypt');
const sha1s = all.filter((v) => v.kind === 'signature' && v.algorithm!.startsWith('sha1'));
const hmacs = all.filter((v) => v.kind === 'signature' && v.algorithm!.startsWith('hmac'));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(WechatError);
    return (err as WechatError).code;
  }
}

describe('decrypt vectors', () => {
  it('covers both outcomes', () => {
    expect(decrypts.filter((v) => v.expect === 'ok').length).toBeGreaterThan(4);
    expect(decrypts.filter((v) => v.expect !== 'ok').length).toBeGreaterThan(3);
  });

  it.each(decrypts.map((v, i) => [i, v.expect, v] as const))('vector %i gives %s', (_i, expected, v) => {
    const run = () => decryptWechatData(v.sessionKey, v.encryptedData, v.iv, { appId: v.appid });
    if (expected === 'ok') {
      expect(run()).toEqual(JSON.parse(v.expectedPlaintext!));
    } else {
      expect(codeOf(run)).toBe(expected);
    }
  });

  it('checks the watermark appid of a good vector against another app', () => {
    const v = decrypts.find((d) => d.expect === 'ok' && d.appid)!;
    expect(codeOf(() => decryptWechatData(v.sessionKey, v.encryptedData, v.iv, { appId: 'wx0000000000000000' }))).toBe('WECHAT_WATERMARK_MISMATCH');
  });

  it('refuses keys and IVs of the wrong length or alphabet before decrypting', () => {
    const v = decrypts.find((d) => d.expect === 'ok')!;
    const bad = [v.sessionKey.slice(0, 20), `${v.sessionKey}A`, v.sessionKey.replace(/.$/, '!'), 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'];
    for (const key of bad) expect(codeOf(() => decryptWechatData(key, v.encryptedData, v.iv))).toBe('WECHAT_BAD_REQUEST');
    for (const iv of [...bad, undefined, 42]) expect(codeOf(() => decryptWechatData(v.sessionKey, v.encryptedData, iv))).toBe('WECHAT_BAD_REQUEST');
  });

  it('repairs a + turned into a space in the key and the iv', () => {
    const v = decrypts.find((d) => d.expect === 'ok' && d.iv!.includes('+'))!;
    expect(decryptWechatData(v.sessionKey.replace(/\+/g, ' '), v.encryptedData, v.iv!.replace(/\+/g, ' '))).toEqual(JSON.parse(v.expectedPlaintext!));
  });

  it('refuses ciphertext that is not base64 or not whole blocks', () => {
    const v = decrypts.find((d) => d.expect === 'ok')!;
    for (const data of ['', 'not base64!', v.encryptedData!.slice(4), `${v.encryptedData}*`, 42, null]) {
      expect(codeOf(() => decryptWechatData(v.sessionKey, data, v.iv))).toBe('WECHAT_BAD_REQUEST');
    }
  });
});

describe('signature vectors', () => {
  it.each(sha1s.map((v, i) => [i, v.expectMatch, v] as const))('sha1 vector %i matches: %s', (_i, match, v) => {
    expect(verifyUserSignature(v.rawData!, v.signature!, v.sessionKey)).toBe(match);
  });

  it('rejects a signature made with another session_key', () => {
    const v = sha1s.find((s) => s.expectMatch)!;
    expect(verifyUserSignature(v.rawData!, v.signature!, 'AAAAAAAAAAAAAAAAAAAAAA==')).toBe(false);
    expect(verifyUserSignature(`${v.rawData} `, v.signature!, v.sessionKey)).toBe(false);
  });

  it.each(hmacs.map((v, i) => [i, v] as const))('login-state hmac vector %i', (_i, v) => {
    expect(loginStateSignature(v.sessionKey, v.rawData)).toBe(v.signature);
  });

  it('signs the empty body for GET checksession with the key text', () => {
    expect(loginStateSignature('o0q0otL8aEzpcZL/FT9WsQ==')).toBe('46e043c5525c2d817c44be603d30837a808a1d930d038f6fdc3e62a201fed128');
  });
});
