import { ApiSecurityKeys } from '../../src/crypto/api-security-keys.js';
import { ANSWER_CLOCK_SKEW_SECONDS, openAnswer, UnverifiedAnswer, type UnverifiedReason } from '../../src/crypto/api-security.js';
import { APPID, type AnswerParts, appPair, options, PSS, platformPair, sealAnswer, URLPATH } from './api-security-fixture.js';

const keys = new ApiSecurityKeys(options, 'apiSecurity');
const NOW = 1_700_000_000;
const TS = String(NOW);
const IV = Buffer.from('r2WDQt56rEAmMuoR', 'base64');
const PHONE = { errcode: 0, errmsg: 'ok', phone_info: { phoneNumber: '13912345678', purePhoneNumber: '13912345678', countryCode: '86' } };
const content = (extra: Record<string, unknown>) => JSON.stringify({ ...PHONE, ...extra });
const WECHAT_FIELDS = { _n: 'fee5cbd2c6b1fb7a', _appid: APPID, _timestamp: NOW };

/** Open an answer made of these parts at our clock `now`: what it yields, or the reason it was refused. */
function open(change: Partial<AnswerParts> = {}, now = NOW): Record<string, unknown> | { refused: UnverifiedReason } {
  const answer = sealAnswer({ plaintext: content(WECHAT_FIELDS), timestamp: TS, iv: IV, ...change });
  try {
    return openAnswer(keys, { urlpath: URLPATH, appId: APPID, headers: answer.headers, text: answer.text, nowSeconds: now });
  } catch (err) {
    expect(err).toBeInstanceOf(UnverifiedAnswer);
    expect((err as Error).message.length).toBeGreaterThan(0);
    return { refused: (err as UnverifiedAnswer).reason };
  }
}

/** One bit of a base64 text flipped. */
function flipped(base64: string, at: number): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[at] = (bytes[at] ?? 0) ^ 1;
  return bytes.toString('base64');
}

/** One envelope field changed by `change`; the rest as sealed. */
const field = (name: 'iv' | 'data' | 'authtag', change: (text: string) => unknown) => ({
  envelope: (sealed: Record<string, string>) => ({ ...sealed, [name]: change(sealed[name] ?? '') }),
});

describe('openAnswer takes an answer WeChat sealed and signed', () => {
  it('yields the decrypted answer without _n, _appid and _timestamp', () => {
    expect(open()).toEqual(PHONE);
  });

  it('takes content that names no appid or timestamp, or the timestamp as a string', () => {
    expect(open({ plaintext: content({}) })).toEqual(PHONE);
    expect(open({ plaintext: content({ _appid: APPID }) })).toEqual(PHONE);
    expect(open({ plaintext: content({ _timestamp: NOW }) })).toEqual(PHONE);
    expect(open({ plaintext: content({ _appid: APPID, _timestamp: TS }) })).toEqual(PHONE);
  });

  it('takes a Wechatmp-Serial that names the configured platform certificate', () => {
    expect(open({ headers: { 'wechatmp-serial': options.platformSn } })).toEqual(PHONE);
  });

  it(`takes a timestamp up to ${ANSWER_CLOCK_SKEW_SECONDS} s either side of our clock, and refuses one a second further (stale)`, () => {
    expect(open({}, NOW + ANSWER_CLOCK_SKEW_SECONDS)).toEqual(PHONE);
    expect(open({}, NOW - ANSWER_CLOCK_SKEW_SECONDS)).toEqual(PHONE);
    expect(open({}, NOW + ANSWER_CLOCK_SKEW_SECONDS + 1)).toEqual({ refused: 'stale' });
    expect(open({}, NOW - ANSWER_CLOCK_SKEW_SECONDS - 1)).toEqual({ refused: 'stale' });
  });
});

describe('openAnswer refuses, with its reason, every answer it cannot verify', () => {
  it.each<[string, Partial<AnswerParts>, UnverifiedReason]>([
    ['no signature header', { headers: { 'wechatmp-signature': null } }, 'unsigned'],
    ['an empty signature header', { headers: { 'wechatmp-signature': '' } }, 'unsigned'],
    ['no timestamp header', { headers: { 'wechatmp-timestamp': null } }, 'unsigned'],
    ['no appid header', { headers: { 'wechatmp-appid': null } }, 'other-appid'],
    ['another appid header', { headers: { 'wechatmp-appid': 'wx0000000000000000' } }, 'other-appid'],
    ['another platform certificate serial', { headers: { 'wechatmp-serial': 'ffffffffffffffffffffffffffffffff' } }, 'other-platform-key'],
  ])('headers: %s', (_name, change, reason) => {
    expect(open(change)).toEqual({ refused: reason });
  });

  // Each is signed and sealed as it stands, and Number() reads it as our clock: only the format check refuses it.
  it.each([`+${TS}`, `${TS}.0`, ` ${TS}`, `${TS}\n`, '0x6553f100'])('a timestamp that is not plain Unix seconds: %j', (timestamp) => {
    expect(Number(timestamp)).toBe(NOW);
    expect(open({ timestamp })).toEqual({ refused: 'bad-timestamp' });
  });

  it.each<[string, Partial<AnswerParts>]>([
    ['made with the app key instead of the platform key', { signWith: { key: appPair.privateKey, ...PSS } }],
    ['made with a salt of 20 bytes', { signWith: { key: platformPair.privateKey, ...PSS, saltLength: 20 } }],
    ['with one bit flipped', { signature: (sig) => flipped(sig, 100) }],
    ['over a body changed after signing', { sent: (body) => body.replace('"iv":"', '"iv":"AAAA') }],
    // Node's base64 decoder skips characters outside the alphabet; the signature must be plain base64 to count.
    ['with a character decoders skip, inside', { signature: (sig) => `${sig.slice(0, 8)}!${sig.slice(8)}` }],
    ['with a character decoders skip, in front', { signature: (sig) => ` ${sig}` }],
    ['with a character decoders skip, behind', { signature: (sig) => `${sig}*` }],
  ])('a signature %s', (_name, change) => {
    expect(open(change)).toEqual({ refused: 'bad-signature' });
  });

  it.each<[string, Partial<AnswerParts>]>([
    ['a JSON array', { body: '[]' }],
    ['JSON null', { body: 'null' }],
    ['a JSON number', { body: '5' }],
    ['not JSON', { body: 'not json' }],
    ['no authtag', { envelope: ({ iv, data }) => ({ iv, data }) }],
    ['no iv', { envelope: ({ data, authtag }) => ({ data, authtag }) }],
    ['no data', { envelope: ({ iv, authtag }) => ({ iv, authtag }) }],
    ['an iv that is not a string', field('iv', () => 12)],
    ['data that is not a string', field('data', (text) => [text])],
    ['an authtag that is not a string', field('authtag', () => null)],
    ['an empty data field', field('data', () => '')],
    ['a 16-byte iv (GCM would take it; WeChat sends 12)', { iv: Buffer.alloc(16, 7) }],
    ['an 8-byte iv', { iv: Buffer.alloc(8, 7) }],
    [
      'an authtag cut to 12 bytes (GCM would take it; WeChat sends 16)',
      field('authtag', (tag) => Buffer.from(tag, 'base64').subarray(0, 12).toString('base64')),
    ],
    // Node's base64 decoder skips characters outside the alphabet, so each of these would decrypt: only the format check refuses it.
    ['a character decoders skip, in front of data', field('data', (text) => ` ${text}`)],
    ['a character decoders skip, behind data', field('data', (text) => `${text}\n`)],
    ['a character decoders skip, inside the iv', field('iv', (text) => `${text.slice(0, 4)}*${text.slice(4)}`)],
    ['a character decoders skip, inside the authtag', field('authtag', (text) => `${text.slice(0, 4)}.${text.slice(4)}`)],
  ])('an envelope of %s', (_name, change) => {
    expect(open(change)).toEqual({ refused: 'bad-envelope' });
  });

  it.each<[string, Partial<AnswerParts>]>([
    ['another AES key', { aesKey: Buffer.alloc(32, 1) }],
    ['the additional data of another urlpath', { aad: `https://api.weixin.qq.com/wxa/other|${APPID}|${TS}|${options.aesSn}` }],
    ['the additional data of another SN', { aad: `${URLPATH}|${APPID}|${TS}|00000000000000000000000000000000` }],
    ['the additional data of another timestamp', { aad: `${URLPATH}|${APPID}|${NOW - 1}|${options.aesSn}` }],
    ['one bit of its data flipped', field('data', (text) => flipped(text, 3))],
    ['one bit of its authtag flipped', field('authtag', (text) => flipped(text, 0))],
  ])('an answer sealed with %s', (_name, change) => {
    expect(open(change)).toEqual({ refused: 'undecryptable' });
  });

  it.each<[string, string]>([
    ['that is not JSON', 'phone 13912345678'],
    ['that is a JSON array', '[1]'],
    ['that is JSON null', 'null'],
    ['that is a JSON string', '"ok"'],
    ['naming another _appid', content({ ...WECHAT_FIELDS, _appid: 'wx0000000000000000' })],
    ['naming another _timestamp', content({ ...WECHAT_FIELDS, _timestamp: NOW + 1 })],
    ['naming another _timestamp, as a string', content({ ...WECHAT_FIELDS, _timestamp: String(NOW - 1) })],
    ['naming another _timestamp and no _appid', content({ _timestamp: NOW + 1 })],
    ['naming another _appid and no _timestamp', content({ _appid: 'wx0000000000000000' })],
  ])('content %s', (_name, plaintext) => {
    expect(open({ plaintext })).toEqual({ refused: 'bad-content' });
  });
});
