import { decodeCiphertext, decodeKey16, repairBase64 } from '../../src/crypto/base64.js';
import { refusal } from './refusal.js';

/** Base64 at every boundary: lengths around 16 and 24, padding, alphabet, whitespace, and values that are not text. */

const bytes = (n: number, fill = 0xfb) => Buffer.alloc(n, fill);
const b64 = (buffer: Buffer) => buffer.toString('base64');
const bad = (field: string) => ({ code: 'WECHAT_BAD_REQUEST', field });

describe('decodeKey16', () => {
  const keys = [bytes(16), bytes(16, 0xff), bytes(16, 0), Buffer.from('0123456789abcdef'), Buffer.from([...Array(16).keys()].map((i) => i * 17))];

  it('decodes 16 bytes given as 24 characters, + and / included', () => {
    expect(keys.map(b64).join('')).toMatch(/\+.*\//);
    for (const key of keys) expect(decodeKey16(b64(key), 'sessionKey')).toEqual(key);
  });

  it('reads a space as the + that form encoding turned into it', () => {
    const text = b64(bytes(16));
    expect(text).toContain('+');
    expect(decodeKey16(text.replace(/\+/g, ' '), 'iv')).toEqual(bytes(16));
  });

  it('refuses every other length and padding, naming the field', () => {
    const key = b64(bytes(16));
    const texts = [
      key.slice(0, 22), // 16 bytes without its ==
      `${key.slice(0, 22)}=`,
      `${key.slice(0, 21)}==`,
      `${key.slice(0, 22)}===`,
      `${key}A`,
      `A${key}`,
      b64(bytes(15)),
      b64(bytes(17)),
      b64(bytes(18)),
      `${b64(bytes(12))}${b64(bytes(6))}`.slice(0, 24),
      b64(bytes(32)),
      '',
    ];
    for (const text of texts) expect({ text, outcome: refusal(() => decodeKey16(text, 'iv')) }).toEqual({ text, outcome: bad('iv') });
  });

  it('refuses the url-safe alphabet, other characters and whitespace other than a space', () => {
    const key = b64(bytes(16));
    const texts = [
      key.replace(/\+/g, '-').replace(/\//g, '_'),
      b64(bytes(16, 0xff)).replace(/\//g, '_'),
      `${key.slice(0, 23)}!`,
      `!${key.slice(1)}`,
      `${key.slice(0, 10)}.${key.slice(11)}`,
      `${key.slice(0, 10)}\t${key.slice(11)}`,
      `${key}\n`,
      `\n${key}`,
      `${key.slice(0, 12)}\r\n${key.slice(12)}`,
      `${key.slice(0, 22)}\u00a0=`,
    ];
    for (const text of texts) expect({ text, outcome: refusal(() => decodeKey16(text, 'sessionKey')) }).toEqual({ text, outcome: bad('sessionKey') });
  });

  it('refuses what is not a string, even when it prints like a key', () => {
    const key = b64(bytes(16));
    for (const value of [undefined, null, 42, [key], { toString: () => key }, bytes(16)]) {
      expect(refusal(() => decodeKey16(value, 'iv'))).toEqual(bad('iv'));
    }
  });
});

describe('decodeCiphertext', () => {
  it('decodes whole blocks with or without = at the end', () => {
    for (const n of [16, 32, 48, 64, 400]) expect(decodeCiphertext(b64(bytes(n)), 'encryptedData')).toEqual(bytes(n));
    expect(b64(bytes(48))).not.toContain('=');
    expect(b64(bytes(16))).toMatch(/==$/);
    expect(b64(bytes(32))).toMatch(/[^=]=$/);
  });

  it('refuses a missing, short or extra =', () => {
    const texts = [
      b64(bytes(16)).slice(0, 22),
      b64(bytes(16)).slice(0, 23),
      b64(bytes(32)).slice(0, 43),
      `${b64(bytes(16))}=`,
      `${b64(bytes(16))}==`,
      `${b64(bytes(48))}====`,
      `${b64(bytes(32))}==`,
      `${b64(bytes(16)).slice(0, 20)}=AAA`,
    ];
    for (const text of texts) {
      expect({ text, outcome: refusal(() => decodeCiphertext(text, 'encryptedData')) }).toEqual({ text, outcome: bad('encryptedData') });
    }
  });

  it('refuses lengths that are not whole 16-byte blocks', () => {
    for (const n of [1, 12, 15, 17, 24, 31, 33, 47]) {
      expect({ n, outcome: refusal(() => decodeCiphertext(b64(bytes(n)), 'encryptedData')) }).toEqual({ n, outcome: bad('encryptedData') });
    }
  });

  it("refuses characters outside the alphabet anywhere, which Node's decoder would skip", () => {
    const good = b64(bytes(48));
    const texts = [
      `!!!!${good}`,
      `${good}!!!!`,
      `${good.slice(0, 30)}!!!!${good.slice(30)}`,
      good.replace(/\+/g, '-'),
      good.replace(/\//g, '_'),
      `${good.slice(0, 60)}\tAAA`,
    ];
    for (const text of texts) {
      expect({ text, outcome: refusal(() => decodeCiphertext(text, 'encryptedData')) }).toEqual({ text, outcome: bad('encryptedData') });
    }
  });

  it('refuses the empty string and what is not a string', () => {
    for (const value of ['', undefined, null, 42, [b64(bytes(16))], bytes(16)]) {
      expect(refusal(() => decodeCiphertext(value, 'encryptedData'))).toEqual(bad('encryptedData'));
    }
  });

  it('undoes line wrapping (LF, CRLF or CR, indentation included) and spaces that were +', () => {
    const data = bytes(64);
    const text = b64(data);
    const wrap = (eol: string, indent = '') => text.match(/.{1,16}/g)!.join(eol + indent);
    for (const wrapped of [wrap('\n'), wrap('\r\n'), wrap('\r'), wrap('\n', '    '), wrap('\r', '\t'), `${wrap('\n')}\n`]) {
      expect(decodeCiphertext(wrapped, 'encryptedData')).toEqual(data);
    }
    expect(decodeCiphertext(text.replace(/\+/g, ' '), 'encryptedData')).toEqual(data);
  });
});

describe('repairBase64', () => {
  it('drops whitespace only when the text is wrapped, and otherwise turns spaces back into +', () => {
    expect(repairBase64('ab cd')).toBe('ab+cd');
    expect(repairBase64('ab  cd ')).toBe('ab++cd+');
    expect(repairBase64('ab\ncd ef')).toBe('abcdef');
    expect(repairBase64('ab\rcd\tef')).toBe('abcdef');
    expect(repairBase64('ab\tcd')).toBe('ab\tcd');
    expect(repairBase64('abcd')).toBe('abcd');
  });
});
