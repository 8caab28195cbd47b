import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ApiSecurityKeys } from '../../src/crypto/api-security-keys.js';
import { wechatSession } from '../../src/index.js';
import { appPair, options, pem, platformPair } from './api-security-fixture.js';

/**
 * The option path a start-up refusal names (`apiSecurity.aesKey`), or `ok`.
 * Every refusal is a TypeError of the form "`path` must be <what it must be>".
 */
function refusedPath(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(TypeError);
    const [, path, want] = /`([^`]+)` must be (.*)/.exec((err as Error).message) ?? [];
    expect(want?.length).toBeGreaterThan(0);
    return path ?? (err as Error).message;
  }
}

const keysOf = (value: unknown) => () => new ApiSecurityKeys(value, 'apiSecurity');
const withChange = (change: Record<string, unknown>) => keysOf({ ...options, ...change });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('apiSecurity option checks at start-up', () => {
  it('accepts a PKCS#1 or PKCS#8 private key and a platform public key in SPKI or PKCS#1 PEM', () => {
    expect(refusedPath(keysOf(options))).toBe('ok');
    expect(refusedPath(withChange({ privateKey: pem(appPair.privateKey, 'pkcs8') }))).toBe('ok');
    expect(refusedPath(withChange({ platformPublicKey: pem(platformPair.publicKey, 'pkcs1') }))).toBe('ok');
  });

  it('accepts an X.509 platform certificate as platformPublicKey', () => {
    const certificate = readFileSync(join(__dirname, '../fixtures/api-security/platform-cert.pem'), 'utf8');
    expect(refusedPath(withChange({ platformPublicKey: certificate }))).toBe('ok');
  });

  it('accepts SNs of 1 and 128 characters of letters, digits, _ and -', () => {
    expect(refusedPath(withChange({ aesSn: 'a', rsaSn: 'A_-9'.repeat(32), platformSn: '0' }))).toBe('ok');
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'aesKey'],
    ['an array', []],
    ['a number', 1],
  ])('refuses %s in place of the object, naming apiSecurity', (_what, value) => {
    expect(refusedPath(keysOf(value))).toBe('apiSecurity');
  });

  it('refuses an option it does not know, naming it', () => {
    expect(refusedPath(withChange({ aesKeySn: 'x' }))).toBe('apiSecurity.aesKeySn');
  });

  it.each<[string, Record<string, unknown>]>([
    ['aesKey', { aesKey: Buffer.alloc(16).toString('base64') }],
    ['aesKey', { aesKey: 'not base64!' }],
    ['aesKey', { aesKey: `A${options.aesKey}` }],
    ['aesKey', { aesKey: `${options.aesKey}A` }],
    ['aesKey', { aesKey: Buffer.from(options.aesKey, 'base64') }],
    ['aesKey', { aesKey: undefined }],
    ['aesKey', { aesKey: { toString: () => options.aesKey } }],
    ['aesSn', { aesSn: '' }],
    ['aesSn', { aesSn: 'a'.repeat(129) }],
    ['aesSn', { aesSn: ' fa05fe1e' }],
    ['aesSn', { aesSn: 'fa05fe1e\n' }],
    ['rsaSn', { rsaSn: 42 }],
    ['platformSn', { platformSn: 'sn/1' }],
    ['privateKey', { privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }],
    ['privateKey', { privateKey: 'secret' }],
    ['privateKey', { privateKey: undefined }],
    ['privateKey', { privateKey: pem(appPair.publicKey, 'spki') }],
    ['privateKey', { privateKey: pem(ec.privateKey, 'pkcs8') }],
    ['platformPublicKey', { platformPublicKey: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }],
    ['platformPublicKey', { platformPublicKey: pem(ec.publicKey, 'spki') }],
    ['platformPublicKey', { platformPublicKey: 0 }],
    ['platformPublicKey', { platformPublicKey: { toString: () => pem(platformPair.publicKey, 'spki') } }],
    // Node would derive the public half of a private key: a private key here is the two key fields mixed up.
    ['platformPublicKey', { platformPublicKey: pem(platformPair.privateKey, 'pkcs1') }],
    ['platformPublicKey', { platformPublicKey: pem(platformPair.privateKey, 'pkcs8') }],
  ])('refuses a malformed %s, naming the option', (name, change) => {
    expect(refusedPath(withChange(change))).toBe(`apiSecurity.${name}`);
  });

  it('names the option by where it stands: top level or apps[i]', () => {
    const start = (config: object) => () => wechatSession(config as never);
    const apiSecurity = { ...options, aesSn: '' };
    expect(refusedPath(start({ appId: 'wx1111111111111111', appSecret: 's', apiSecurity }))).toBe('apiSecurity.aesSn');
    expect(refusedPath(start({ apps: [{ appId: 'wx1111111111111111', appSecret: 's', apiSecurity }] }))).toBe('apps[0].apiSecurity.aesSn');
  });

  it('shows its SNs and never a key when printed (the keys are #private)', () => {
    const keys = new ApiSecurityKeys(options, 'apiSecurity');
    const shown = `${JSON.stringify(keys)} ${inspect(keys, { depth: 9, showHidden: true })}`;
    for (const sn of [options.aesSn, options.rsaSn, options.platformSn]) expect(inspect(keys)).toContain(sn);
    expect(shown).not.toContain(options.aesKey);
    expect(shown).not.toContain(Buffer.from(options.aesKey, 'base64').toString('hex'));
    expect(shown).not.toContain('PRIVATE');
  });
});
