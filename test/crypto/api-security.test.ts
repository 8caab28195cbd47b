import { constants, generateKeyPairSync, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiSecurityKeys } from '../../src/crypto/api-security-keys.js';
import { additionalData, sealRequest, signedText } from '../../src/crypto/api-security.js';
import { wechatSession } from '../../src/index.js';

const app = generateKeyPairSync('rsa', { modulusLength: 2048 });
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: { export(o: object): string | Buffer }, type: string) => String(key.export({ type, format: 'pem' }));
const options = {
  aesKey: 'otUpngOjU+nVQaWJIC3D/yMLV17RKaP6t4Ot9tbnzLY=',
  aesSn: 'fa05fe1e5bcc79b81ad5ad4b58acf787',
  privateKey: pem(app.privateKey, 'pkcs1'),
  rsaSn: '97845f6ed842ea860df6fdf65941ff56',
  platformPublicKey: pem(platform.publicKey, 'spki'),
  platformSn: '5371b7bc8a5a0a0c1ab4a5da5f4d2a37',
};

const URLPATH = 'https://api.weixin.qq.com/wxa/business/getuserphonenumber';
const APPID = 'wxba6223c06417af7b';
const CODE = 'e31968a7f94cc5ee25fafc2aef2773f0bb8c3937b22520eb8ee345274d00c144';

describe('API security request envelope, byte for byte', () => {
  const keys = new ApiSecurityKeys(options);
  const sealed = sealRequest(keys, {
    urlpath: URLPATH,
    appId: APPID,
    params: { code: CODE },
    timestamp: 1635927954,
    nonce: 'fee5cbd2c6b1fb7a',
    iv: Buffer.from('r2WDQt56rEAmMuoR', 'base64'),
  });
  const body =
    '{"iv":"r2WDQt56rEAmMuoR","data":"HExQ6uR73YA0tKdJ7bZVTq9AtxswZvxzD7iZpuDM4YPGFOKFLBkN/7GrJ/ATYB22kqeNQZX4qJmb47JvjL5hg5DFdFxG4KYMN+Bl0Z6Z+7bQaH8Vd6INwFco0sCvxh2OPgYFws2JN1et9H2OpNkb3QBK7dVLbjuwkBHts1E8tNAsnIb7up8xKq1egeEuDUpiFC+xHbNulfqI","authtag":"A+Jt/VmUEIMG7g19hDHnJQ=="}';

  it('has the AAD urlpath|appid|timestamp|aesSn', () => {
    expect(additionalData(URLPATH, APPID, '1635927954', options.aesSn)).toBe(
      'https://api.weixin.qq.com/wxa/business/getuserphonenumber|wxba6223c06417af7b|1635927954|fa05fe1e5bcc79b81ad5ad4b58acf787',
    );
  });

  it('encrypts the params with _n, _appid and _timestamp under that AAD (fixed key, iv, nonce, timestamp)', () => {
    expect(sealed.body).toBe(body);
  });

  it('signs urlpath\\nappid\\ntimestamp\\nbody, with no SN in it, RSA-PSS SHA-256 salt 32', () => {
    const text = signedText(URLPATH, APPID, '1635927954', body);
    expect(text).toBe(`https://api.weixin.qq.com/wxa/business/getuserphonenumber\nwxba6223c06417af7b\n1635927954\n${body}`);
    expect(text).not.toContain(options.rsaSn);
    expect(sealed.headers).toEqual({ 'Wechatmp-Appid': APPID, 'Wechatmp-TimeStamp': '1635927954', 'Wechatmp-Signature': expect.any(String) });
    const signature = Buffer.from(sealed.headers['Wechatmp-Signature']!, 'base64');
    const pss = { key: app.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    expect(verify('sha256', Buffer.from(text), pss, signature)).toBe(true);
    expect(verify('sha256', Buffer.from(`${URLPATH}\n${APPID}\n1635927954\n${options.rsaSn}\n${body}`), pss, signature)).toBe(false);
  });
});

describe('apiSecurity option checks at start-up', () => {
  const start =
    (apiSecurity: unknown, multi = false) =>
    () =>
      wechatSession(
        multi
          ? ({ apps: [{ appId: 'wx1111111111111111', appSecret: 's', apiSecurity }] } as never)
          : ({ appId: 'wx1111111111111111', appSecret: 's', apiSecurity } as never),
      );

  it('accepts a PKCS#1 or PKCS#8 private key and a platform public key in SPKI or PKCS#1 PEM', () => {
    expect(start(options)).not.toThrow();
    expect(start({ ...options, privateKey: pem(app.privateKey, 'pkcs8') }, true)).not.toThrow();
    expect(start({ ...options, platformPublicKey: pem(platform.publicKey, 'pkcs1') })).not.toThrow();
  });

  it('accepts an X.509 platform certificate as platformPublicKey', () => {
    const certificate = readFileSync(join(__dirname, '../fixtures/api-security/platform-cert.pem'), 'utf8');
    expect(start({ ...options, platformPublicKey: certificate })).not.toThrow();
  });

  it.each([
    ['aesKey', { aesKey: Buffer.alloc(16).toString('base64') }],
    ['aesKey', { aesKey: 'not base64!' }],
    ['privateKey', { privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }],
    ['privateKey', { privateKey: 'secret' }],
    ['platformPublicKey', { platformPublicKey: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }],
    ['aesSn', { aesSn: '' }],
  ])('refuses a malformed %s with a TypeError naming the option', (name, change) => {
    expect(start({ ...options, ...change })).toThrow(new RegExp(`\`apiSecurity\\.${name}\``));
    expect(start({ ...options, ...change }, true)).toThrow(new RegExp(`\`apps\\[0\\]\\.apiSecurity\\.${name}\``));
    expect(start({ ...options, ...change })).toThrow(TypeError);
  });

  it('never shows a key when printed', () => {
    const keys = new ApiSecurityKeys(options);
    const shown = `${JSON.stringify(keys)} ${require('node:util').inspect(keys, { depth: 9 })}`;
    expect(shown).not.toContain(options.aesKey);
    expect(shown).not.toContain('PRIVATE');
  });
});
