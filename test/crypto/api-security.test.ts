import { verify } from 'node:crypto';
import { ApiSecurityKeys } from '../../src/crypto/api-security-keys.js';
import { additionalData, sealRequest, signedText } from '../../src/crypto/api-security.js';
import { APPID, appPair, options, PSS, URLPATH } from './api-security-fixture.js';

const CODE = 'e31968a7f94cc5ee25fafc2aef2773f0bb8c3937b22520eb8ee345274d00c144';

describe('API security request envelope, byte for byte', () => {
  const keys = new ApiSecurityKeys(options, 'apiSecurity');
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
    const signature = Buffer.from(sealed.headers['Wechatmp-Signature'] ?? '', 'base64');
    const pss = { key: appPair.publicKey, ...PSS };
    expect(verify('sha256', Buffer.from(text), pss, signature)).toBe(true);
    expect(verify('sha256', Buffer.from(`${URLPATH}\n${APPID}\n1635927954\n${options.rsaSn}\n${body}`), pss, signature)).toBe(false);
  });

  it('seals each request with its own iv and nonce unless they are given', () => {
    const seal = () => sealRequest(keys, { urlpath: URLPATH, appId: APPID, params: { code: CODE }, timestamp: 1635927954 });
    const [a, b] = [JSON.parse(seal().body), JSON.parse(seal().body)];
    expect(Buffer.from(a.iv, 'base64')).toHaveLength(12);
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
  });
});
