import { createCipheriv, randomBytes } from 'node:crypto';
import { checkWatermark, decryptWechatData, type WechatError } from '../../src/index.js';
import { refusal } from './refusal.js';

/**
 * Ciphertexts made here with Node's cipher and no automatic padding, so the
 * padding is whatever a test writes: the JSON before it always parses, and
 * only the padding check can refuse what it refuses.
 */

const key = randomBytes(16);
const iv = randomBytes(16);
const MISMATCH = { code: 'WECHAT_SESSION_KEY_MISMATCH' };

function seal(plain: Buffer): string {
  const cipher = createCipheriv('aes-128-cbc', key, iv).setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

function open(encryptedData: string, appId?: string | null): unknown {
  return decryptWechatData(key.toString('base64'), encryptedData, iv.toString('base64'), { appId });
}

/** `{"pad":"xx…"}` with as many x as make it end where `tail` (the padding bytes) fills the last block. */
function padded(tail: number[]): { plain: Buffer; json: unknown } {
  const bare = '{"pad":""}'.length;
  const filler = 'x'.repeat(32 - ((bare + tail.length) % 16));
  const text = `{"pad":"${filler}"}`;
  return { plain: Buffer.concat([Buffer.from(text), Buffer.from(tail)]), json: { pad: filler } };
}

const counts = Array.from({ length: 16 }, (_, i) => i + 1);

describe('PKCS#7 padding', () => {
  it.each(counts)('strips a correct padding of %i bytes', (count) => {
    const { plain, json } = padded(Array(count).fill(count));
    expect(plain.length % 16).toBe(0);
    expect(open(seal(plain))).toEqual(json);
  });

  it('decrypts a plaintext that is one whole block of padding after the JSON', () => {
    const text = Buffer.from('{"sixteen":"16b"}'.padEnd(32, ' '));
    expect(open(seal(Buffer.concat([text, Buffer.alloc(16, 16)])))).toEqual({ sixteen: '16b' });
  });

  it.each(counts.filter((c) => c > 1))('refuses a padding of %i bytes with any one of its bytes wrong', (count) => {
    for (let wrong = 0; wrong < count - 1; wrong++) {
      const tail = Array(count).fill(count);
      tail[wrong] = 0x20; // a space: the JSON would still parse if the padding were not checked
      expect({ wrong, outcome: refusal(() => open(seal(padded(tail).plain))) }).toEqual({ wrong, outcome: MISMATCH });
    }
  });

  it('refuses a padding of 2 to 16 whose bytes all hold another count', () => {
    for (const count of counts.filter((c) => c > 1)) {
      const tail = [...Array(count - 1).fill(count - 1), count];
      expect({ count, outcome: refusal(() => open(seal(padded(tail).plain))) }).toEqual({ count, outcome: MISMATCH });
    }
  });

  it.each([17, 32, 255])('refuses a count of %i, larger than a block, even when every byte before it holds it', (count) => {
    // 32 spaces are JSON whitespace: stripped as padding or not, the text parses.
    expect(refusal(() => open(seal(padded(Array(count).fill(count)).plain)))).toEqual(MISMATCH);
  });

  it('refuses a single block whose count exceeds it, and a last byte of 0', () => {
    expect(refusal(() => open(seal(Buffer.alloc(16, 17))))).toEqual(MISMATCH);
    expect(refusal(() => open(seal(Buffer.alloc(32, 32))))).toEqual(MISMATCH);
    expect(refusal(() => open(seal(padded([0]).plain)))).toEqual(MISMATCH);
  });
});

describe('the decrypted text', () => {
  it('must be UTF-8, even inside a JSON string', () => {
    const plain = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}'), Buffer.alloc(2, 2)]);
    expect(plain.length % 16).toBe(0);
    expect(refusal(() => open(seal(plain)))).toEqual(MISMATCH);
  });

  it.each(['null', '42', '"text"', '[{"a":1}]', 'true', '{"a":'])('must be a JSON object, not %s', (text) => {
    const count = 16 - (text.length % 16);
    expect(refusal(() => open(seal(Buffer.concat([Buffer.from(text), Buffer.alloc(count, count)]))))).toEqual(MISMATCH);
  });
});

describe('what a refusal says', () => {
  /** The `cause` of a decryption refusal: an error explaining itself, a SyntaxError when only the JSON was wrong. */
  function causeOf(encryptedData: string): unknown {
    try {
      open(encryptedData);
    } catch (err) {
      expect((err as WechatError).code).toBe('WECHAT_SESSION_KEY_MISMATCH');
      const { cause } = err as { cause?: unknown };
      expect(cause).toBeInstanceOf(Error);
      expect((cause as Error).message.length).toBeGreaterThan(0);
      return cause;
    }
    throw new Error('decrypted');
  }

  it('keeps the cause: bad padding or bytes that are not UTF-8, or JSON that does not parse', () => {
    expect(causeOf(seal(padded([...Array(3).fill(3), 4]).plain))).not.toBeInstanceOf(SyntaxError);
    expect(causeOf(seal(padded(Array(17).fill(17)).plain))).not.toBeInstanceOf(SyntaxError);
    expect(causeOf(seal(padded([0]).plain))).not.toBeInstanceOf(SyntaxError);
    expect(causeOf(seal(Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff]), Buffer.from('"}'), Buffer.alloc(7, 7)])))).not.toBeInstanceOf(SyntaxError);
    expect(causeOf(seal(Buffer.concat([Buffer.from('{"a":'), Buffer.alloc(11, 11)])))).toBeInstanceOf(SyntaxError);
  });

  it('names the field that is malformed', () => {
    const good = seal(padded([1]).plain);
    const [k, v] = [key.toString('base64'), iv.toString('base64')];
    expect(refusal(() => decryptWechatData(k.slice(1), good, v))).toEqual({ code: 'WECHAT_BAD_REQUEST', field: 'sessionKey' });
    expect(refusal(() => decryptWechatData(k, good, v.slice(1)))).toEqual({ code: 'WECHAT_BAD_REQUEST', field: 'iv' });
    expect(refusal(() => decryptWechatData(k, good.slice(1), v))).toEqual({ code: 'WECHAT_BAD_REQUEST', field: 'encryptedData' });
  });
});

describe('the watermark', () => {
  const sealed = (json: unknown) => {
    const text = Buffer.from(JSON.stringify(json));
    const count = 16 - (text.length % 16);
    return seal(Buffer.concat([text, Buffer.alloc(count, count)]));
  };
  const WATERMARK = { code: 'WECHAT_WATERMARK_MISMATCH' };

  it('is checked only when an appId is given', () => {
    const data = { phoneNumber: '1', watermark: { appid: 'wxA', timestamp: 1 } };
    expect(open(sealed(data), 'wxA')).toEqual(data);
    expect(open(sealed(data), null)).toEqual(data);
    expect(open(sealed(data))).toEqual(data);
    expect(decryptWechatData(key.toString('base64'), sealed(data), iv.toString('base64'))).toEqual(data);
    expect(refusal(() => open(sealed(data), 'wxB'))).toEqual(WATERMARK);
  });

  it('must be there, and name the app', () => {
    for (const data of [{}, { watermark: null }, { watermark: {} }, { watermark: { appid: 'wxa' } }, { watermark: 'wxA' }]) {
      expect({ data, outcome: refusal(() => open(sealed(data), 'wxA')) }).toEqual({ data, outcome: WATERMARK });
      expect({ data, outcome: refusal(() => checkWatermark(data, 'wxA')) }).toEqual({ data, outcome: WATERMARK });
    }
    expect(refusal(() => checkWatermark({ watermark: { appid: 'wxA' } }, 'wxA'))).toBe('ok');
  });
});
