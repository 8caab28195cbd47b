import { decryptPhone, requireWechatSession, wechatLogin, wechatRouter, wechatSession } from '../../src/index.js';

const base = { appId: 'wx4f4bc4dec97d474b', appSecret: 'secret' };

describe('options are checked at start-up', () => {
  it.each([
    ['no options', undefined],
    ['a missing appId', { appSecret: 's' }],
    ['an appId with spaces', { ...base, appId: 'wx 123' }],
    ['a missing appSecret', { appId: base.appId }],
    ['an empty appSecret', { ...base, appSecret: '' }],
    ['ttl as text', { ...base, ttl: '3d' }],
    ['a negative ttl', { ...base, ttl: -1 }],
    ['a fractional ttl', { ...base, ttl: 1.5 }],
    ['renewAfter not below ttl', { ...base, ttl: 60, renewAfter: 60 }],
    ['a store without methods', { ...base, store: {} }],
    ['apiBaseUrl that is not a URL', { ...base, apiBaseUrl: 'api.weixin.qq.com' }],
    ['an unknown accessToken mode', { ...base, accessToken: 'forever' }],
    ['no token transport at all', { ...base, bearer: false, tokenHeader: false }],
    ['a header name with spaces', { ...base, tokenHeader: 'x session' }],
    ['retries out of range', { ...base, retries: 99 }],
    ['timeout zero', { ...base, timeout: 0 }],
  ])('throws a TypeError for %s', (_what, options) => {
    for (const factory of [wechatLogin, requireWechatSession, decryptPhone, wechatRouter]) {
      expect(() => factory(options as never)).toThrow(TypeError);
    }
  });

  it('names the option and the value in the message', () => {
    expect(() => wechatLogin({ ...base, ttl: '3d' } as never)).toThrow(/`ttl`.*'3d'/);
  });

  it('returns named middleware functions', () => {
    expect(wechatLogin(base).name).toBe('wechatLogin');
    expect(requireWechatSession(base).name).toBe('requireWechatSession');
    expect(decryptPhone(base).name).toBe('decryptPhone');
  });
});

describe('an unknown key is refused with the name that was meant, at every level', () => {
  const component = { appId: 'wx9999999999999999', accessToken: async () => 'token' };
  const app = { appId: 'wx1111111111111111', appSecret: 's' };
  it.each<[string, Record<string, unknown>, string, string]>([
    ['riskRank', { ...base, riskRank: { scene: 0, refuseAT: 3 } }, 'riskRank.refuseAT', 'riskRank.refuseAt'],
    ['apps[i]', { apps: [app, { appId: 'wx2222222222222222', appsecret: 's' }] }, 'apps[1].appsecret', 'apps[1].appSecret'],
    [
      'component',
      { apps: [{ appId: app.appId }], component: { appId: component.appId, acessToken: component.accessToken } },
      'component.acessToken',
      'component.accessToken',
    ],
    ['wecom', { wecom: { corpId: 'ww1111111111111111', corpSecret: 's', apiBaseURL: 'https://qyapi.weixin.qq.com' } }, 'wecom.apiBaseURL', 'wecom.apiBaseUrl'],
    ['on', { ...base, on: { logn: () => undefined } }, 'on.logn', 'on.login'],
    ['apiSecurity', { ...base, apiSecurity: { aesKeySn: 'x' } }, 'apiSecurity.aesKeySn', 'apiSecurity.aesKey'],
  ])('in %s', (_where, options, wrong, meant) => {
    expect(() => wechatSession(options as never)).toThrow(TypeError);
    expect(() => wechatSession(options as never)).toThrow(`unknown option \`${wrong}\` must be left out; did you mean \`${meant}\`?`);
  });
});
