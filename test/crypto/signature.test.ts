import vectors from '../fixtures/wechat-vectors.json';
import { loginStateSignature, verifyUserSignature } from '../../src/index.js';

interface SignatureVector {
  kind: string;
  algorithm?: string;
  rawData?: string;
  signature?: string;
  sessionKey: string;
  expectMatch?: boolean;
}
const all = vectors as unknown as SignatureVector[];
/** The official getUserInfo example: sha1(rawData + session_key). */
const { rawData, signature, sessionKey } = all.find(
  (v) => v.kind === 'signature' && v.algorithm!.startsWith('sha1') && v.expectMatch,
)! as Required<SignatureVector>;
const hmac = all.find((v) => v.kind === 'signature' && v.algorithm!.startsWith('hmac'))! as Required<SignatureVector>;

describe('verifyUserSignature', () => {
  it('accepts the signature in any letter case', () => {
    expect(verifyUserSignature(rawData, signature, sessionKey)).toBe(true);
    expect(verifyUserSignature(rawData, signature.toUpperCase(), sessionKey)).toBe(true);
    expect(
      verifyUserSignature(
        rawData,
        signature.replace(/[a-f]/, (c) => c.toUpperCase()),
        sessionKey,
      ),
    ).toBe(true);
  });

  it('answers false, without throwing, for a signature of any other length or alphabet', () => {
    const others = [
      '',
      signature.slice(0, 38),
      signature.slice(0, 39),
      `${signature}0`,
      `${signature}00`,
      `${signature}${signature}`,
      `x${signature.slice(1)}`,
      `${signature.slice(0, 39)}g`,
      ` ${signature}`,
      `${signature}\n`,
      `${signature.slice(0, 20)} ${signature.slice(21)}`,
      Buffer.from(signature, 'hex').toString('base64'),
    ];
    for (const other of others) expect({ other, match: verifyUserSignature(rawData, other, sessionKey) }).toEqual({ other, match: false });
  });

  it('answers false for arguments that are not strings, even ones that print like the signature', () => {
    const loose = verifyUserSignature as (rawData: unknown, signature: unknown, sessionKey: string) => boolean;
    for (const [data, sig] of [
      [undefined, signature],
      [42, signature],
      [{ toString: () => rawData }, signature],
      [rawData, [signature]],
      [rawData, 42],
      [rawData, undefined],
    ]) {
      expect(loose(data, sig, sessionKey)).toBe(false);
    }
  });

  it('answers false when one bit of the signature, the data or the key differs', () => {
    expect(verifyUserSignature(rawData, `${signature.slice(0, 39)}d`, sessionKey)).toBe(false);
    expect(verifyUserSignature(rawData.replace('Band', 'Bane'), signature, sessionKey)).toBe(false);
    expect(verifyUserSignature(rawData, signature, 'HyVFkGl5F5OQWJZZaNzBBQ==')).toBe(false);
  });
});

describe('loginStateSignature', () => {
  it("is HMAC-SHA256 keyed with the key's text, over the payload or the empty string, in lower-case hex", () => {
    expect(loginStateSignature(hmac.sessionKey, hmac.rawData)).toBe(hmac.signature);
    expect(loginStateSignature(hmac.sessionKey, hmac.rawData)).toMatch(/^[0-9a-f]{64}$/);
    expect(loginStateSignature('o0q0otL8aEzpcZL/FT9WsQ==')).toBe('46e043c5525c2d817c44be603d30837a808a1d930d038f6fdc3e62a201fed128');
    expect(loginStateSignature('o0q0otL8aEzpcZL/FT9WsQ==', '')).toBe('46e043c5525c2d817c44be603d30837a808a1d930d038f6fdc3e62a201fed128');
  });
});
