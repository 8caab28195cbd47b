import { encryptPush } from '../../src/push/cipher.js';
import { openPush, type PushConfig, type PushRequest } from '../../src/push/open.js';
import { PUSH_BODY_LIMIT_BYTES } from '../../src/push/refusal.js';
import { pushSignature } from '../../src/push/signature.js';
import { APP, CONFIG, KEY, layout, NOW_SECONDS, pad32, plainPush, rawEncrypt, REVOKE, safePush, safeRequest, TOKEN } from './forge.js';

const PLAIN = { appId: APP, token: TOKEN, now: CONFIG.now };
const reasonOf = (request: unknown, config: PushConfig = CONFIG) => {
  const outcome = openPush(request as PushRequest, config);
  return outcome.kind === 'refused' ? outcome.reason : outcome.kind;
};

describe('the URL check (GET)', () => {
  const check = (overrides: Record<string, unknown> = {}) => {
    const timestamp = String(NOW_SECONDS);
    return { method: 'GET', query: { signature: pushSignature(TOKEN, timestamp, '42'), timestamp, nonce: '42', echostr: 'echo-7', ...overrides } };
  };

  it('answers echostr exactly when signature matches (either case), in every mode', () => {
    expect(openPush(check(), CONFIG)).toEqual({ kind: 'echo', echostr: 'echo-7' });
    expect(openPush(check(), PLAIN)).toEqual({ kind: 'echo', echostr: 'echo-7' });
    expect(reasonOf(check({ signature: pushSignature(TOKEN, String(NOW_SECONDS), '42').toUpperCase() }))).toBe('echo');
  });

  it.each([
    ['bad_signature', { signature: pushSignature('other-token', String(NOW_SECONDS), '42') }],
    ['bad_signature', { signature: 'f'.repeat(40) }],
    ['bad_signature', { signature: 'not hex' }],
    ['bad_signature', { signature: undefined }],
    ['bad_signature', { nonce: '43' }],
    ['missing_parameter', { echostr: undefined }],
    ['missing_parameter', { echostr: 'x'.repeat(257) }],
    ['missing_parameter', { echostr: ['a', 'b'] }],
    ['missing_parameter', { nonce: undefined }],
    ['missing_parameter', { timestamp: undefined }],
    ['bad_timestamp', { timestamp: '17e8' }],
    ['bad_timestamp', { timestamp: '-1' }],
    ['stale_timestamp', { timestamp: String(NOW_SECONDS - 301) }],
    ['stale_timestamp', { timestamp: String(NOW_SECONDS + 301) }],
  ])('refuses with %s: %j', (reason, overrides) => {
    expect(reasonOf(check(overrides))).toBe(reason);
  });

  it('takes the edge of the tolerance, and a parameter given twice counts as missing', () => {
    const edge = String(NOW_SECONDS - 300);
    expect(reasonOf(check({ timestamp: edge, signature: pushSignature(TOKEN, edge, '42') }))).toBe('echo');
    const query = new URLSearchParams(check().query as Record<string, string>);
    expect(reasonOf({ method: 'GET', query })).toBe('echo');
    query.append('echostr', 'other');
    expect(reasonOf({ method: 'GET', query })).toBe('missing_parameter');
  });
});

describe('requests that are not pushes', () => {
  it.each([
    ['PUT', { method: 'PUT', query: {} }],
    ['null', null],
    ['a string', 'POST'],
    ['no method', { query: {} }],
  ])('refuses %s', (_what, request) => {
    expect(reasonOf(request)).toBe('method_not_allowed');
  });

  it('refuses a query that is not an object, and throws only for a wrong configuration', () => {
    expect(reasonOf({ method: 'GET', query: null })).toBe('missing_parameter');
    expect(() => openPush({ method: 'GET', query: {} }, { ...CONFIG, encodingAESKey: 'short' })).toThrow(TypeError);
    expect(() => openPush({ method: 'GET', query: {} }, { ...CONFIG, token: '' })).toThrow(TypeError);
    expect(() => openPush({ method: 'GET', query: {} }, { ...CONFIG, appId: undefined as unknown as string })).toThrow(TypeError);
  });
});

describe('plaintext mode', () => {
  const body = JSON.stringify(REVOKE);

  it('reads a push signed over token, timestamp and nonce', () => {
    expect(openPush(plainPush(body), PLAIN)).toMatchObject({ kind: 'event', event: { kind: 'authorization_revoked', openid: 'oUser', revokeInfo: ['8'] } });
  });

  it.each([
    ['bad_signature', plainPush(body, { token: 'another-token' })],
    ['stale_timestamp', plainPush(body, { timestamp: NOW_SECONDS - 3600 })],
    ['encryption_not_configured', plainPush(JSON.stringify({ ...REVOKE, Encrypt: 'x' }))],
    ['encryption_not_configured', { ...plainPush(body), query: { ...plainPush(body).query, encrypt_type: 'aes', msg_signature: 'x' } }],
    ['body_too_large', plainPush(' '.repeat(PUSH_BODY_LIMIT_BYTES) + body)],
    ['body_too_large', plainPush(Buffer.alloc(PUSH_BODY_LIMIT_BYTES + 1, 0x20))],
    ['malformed_body', plainPush(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
    ['malformed_body', { ...plainPush(body), body: undefined }],
    ['malformed_body', plainPush('{"Event":')],
    ['malformed_body', plainPush('<xml><Event>x</Event>')],
    ['malformed_message', plainPush(JSON.stringify({ ...REVOKE, CreateTime: undefined }))],
    ['malformed_message', plainPush(JSON.stringify({ ...REVOKE, CreateTime: 'yesterday' }))],
    ['malformed_message', plainPush(JSON.stringify({ ...REVOKE, OpenID: undefined }))],
    ['malformed_message', plainPush(JSON.stringify({ ...REVOKE, Event: 'user_authorization_cancellation', OpenID: '' }))],
    ['malformed_message', plainPush(JSON.stringify({ CreateTime: NOW_SECONDS }))],
    ['wrong_app_id', plainPush(JSON.stringify({ ...REVOKE, AppID: 'wx0000000000000000' }))],
  ])('refuses with %s', (reason, request) => {
    expect(reasonOf(request, PLAIN)).toBe(reason);
  });

  it('takes a body of exactly the limit, and a Buffer body', () => {
    const padded = body + ' '.repeat(PUSH_BODY_LIMIT_BYTES - Buffer.byteLength(body));
    expect(reasonOf(plainPush(padded), PLAIN)).toBe('event');
    expect(reasonOf(plainPush(Buffer.from(body)), PLAIN)).toBe('event');
  });
});

describe('compatible and safe modes', () => {
  it('reads the ciphertext, ignoring plaintext fields beside it', () => {
    const request = safePush(REVOKE);
    const forgedBeside = { ...request, body: JSON.stringify({ ...REVOKE, OpenID: 'oVictim', Encrypt: JSON.parse(request.body).Encrypt }) };
    expect(openPush(forgedBeside, CONFIG)).toMatchObject({ kind: 'event', event: { openid: 'oUser' } });
  });

  it.each([
    ['encryption_required (plaintext push to an encrypted app)', 'encryption_required', plainPush(JSON.stringify(REVOKE))],
    [
      'encryption_required (signature alone)',
      'encryption_required',
      (() => {
        const r = safePush(REVOKE);
        const { msg_signature: _m, ...query } = r.query;
        return { ...r, query };
      })(),
    ],
    ['encryption_required (Encrypt not text)', 'encryption_required', safeRequest(12345)],
    ['bad_signature (msg_signature of another body)', 'bad_signature', { ...safePush(REVOKE), query: safePush({ ...REVOKE, OpenID: 'oOther' }).query }],
    ['bad_signature (forged)', 'bad_signature', safeRequest(encryptPush(KEY, JSON.stringify(REVOKE), APP), { msgSignature: 'a'.repeat(40) })],
    [
      'bad_signature (old signature, new timestamp)',
      'bad_signature',
      (() => {
        const r = safePush(REVOKE, { timestamp: NOW_SECONDS - 10 });
        return { ...r, query: { ...r.query, timestamp: String(NOW_SECONDS) } };
      })(),
    ],
    ['bad_ciphertext (not base64)', 'bad_ciphertext', safeRequest('!!!!' + 'A'.repeat(40))],
    [
      'bad_ciphertext (base64 with whitespace)',
      'bad_ciphertext',
      safeRequest(`${encryptPush(KEY, '{}', APP).slice(0, 20)} ${encryptPush(KEY, '{}', APP).slice(20)}`),
    ],
    ['bad_ciphertext (length not a multiple of 4)', 'bad_ciphertext', safeRequest('AAAAA')],
    ['bad_ciphertext (16 bytes, not a 32-byte block)', 'bad_ciphertext', safeRequest(Buffer.alloc(16).toString('base64'))],
    ['bad_ciphertext (empty)', 'bad_ciphertext', safeRequest('')],
    ['bad_ciphertext (pad byte 0)', 'bad_ciphertext', safeRequest(rawEncrypt(pad32(layout('{}'), (p) => p.writeUInt8(0, p.length - 1))))],
    ['bad_ciphertext (pad byte 33)', 'bad_ciphertext', safeRequest(rawEncrypt(pad32(layout('{}'), (p) => p.fill(33, p.length - 33))))],
    ['bad_ciphertext (pad bytes unequal)', 'bad_ciphertext', safeRequest(rawEncrypt(pad32(layout('{}'), (p) => p.writeUInt8(7, p.length - 2))))],
    ['bad_ciphertext (length prefix past the end)', 'bad_ciphertext', safeRequest(rawEncrypt(pad32(layout('{}', APP, 1000))))],
    ['bad_ciphertext (shorter than its header)', 'bad_ciphertext', safeRequest(rawEncrypt(pad32(Buffer.alloc(19, 0x61))))],
    [
      'bad_ciphertext (message not UTF-8)',
      'bad_ciphertext',
      safeRequest(rawEncrypt(pad32(Buffer.concat([Buffer.alloc(16), Buffer.from([0, 0, 0, 2, 0xff, 0xfe]), Buffer.from(APP)])))),
    ],
    ['malformed_message (the same layout, well padded: it decrypts)', 'malformed_message', safeRequest(rawEncrypt(pad32(layout('{}'))))],
    ['malformed_message (a 32-byte pad decrypts too)', 'malformed_message', safeRequest(rawEncrypt(pad32(layout('{}'.padEnd(26)))))],
    ['wrong_app_id (another app inside)', 'wrong_app_id', safePush(REVOKE, { appId: 'wx0000000000000000' })],
    ['wrong_app_id (a longer appid inside)', 'wrong_app_id', safePush(REVOKE, { appId: `${APP}x` })],
    ['wrong_app_id (the message names another app)', 'wrong_app_id', safePush({ ...REVOKE, AppID: 'wx0000000000000000' })],
    ['malformed_message (not JSON or XML inside)', 'malformed_message', safePush('success')],
    ['malformed_message (an entity inside)', 'malformed_message', safePush('<!DOCTYPE xml [<!ENTITY e "x">]><xml><Event>&e;</Event></xml>')],
    ['malformed_body (envelope not JSON)', 'malformed_body', { ...safePush(REVOKE), body: '{"Encrypt":' }],
  ])('refuses %s', (_what, reason, request) => {
    expect(reasonOf(request)).toBe(reason);
  });
});
