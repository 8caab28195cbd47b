import { WechatApiError, createWechatClient } from '../../src/index.js';
import { errcodeToError } from '../../src/client/errcodes.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';

/**
 * WeChat's errmsg is kept on WechatApiError, cleaned: credential-like runs
 * (24 or more of [A-Za-z0-9_-+/=]) are removed from the whole text before it
 * is cut to 200 characters, so no part of a secret survives at any position.
 */

const SECRET = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';

/** The longest run of the secret's own characters, in order, found in `text`. */
function longestPiece(text: string): number {
  let best = 0;
  for (let i = 0; i < SECRET.length; i++) {
    while (i + best < SECRET.length && text.includes(SECRET.slice(i, i + best + 1))) best += 1;
  }
  return best;
}

const errmsgWith = (at: number) => `${'x '.repeat(at).slice(0, at)}${SECRET} rid: 6650bf2e-1a2b`.padEnd(260, ' .');

it('no piece of an AppSecret survives, wherever it sits in a long errmsg', () => {
  for (let at = 0; at <= 228; at++) {
    const { errmsg } = errcodeToError('jscode2session', 40125, errmsgWith(at));
    expect(errmsg.length).toBeLessThanOrEqual(200);
    expect(longestPiece(errmsg)).toBeLessThan(4);
  }
});

it('short prose stays as WeChat wrote it', () => {
  expect(errcodeToError('jscode2session', 40029, 'invalid code, rid: 6650bf2e-1a2b3c4d').errmsg).toBe('invalid code, rid: 6650bf2e-1a2b3c4d');
});

describe('through a WeChat answer', () => {
  let wechat: WechatStandIn;
  beforeAll(async () => {
    wechat = await startWechatStandIn();
  });
  afterAll(() => wechat.close());

  it('an errmsg echoing the secret across the 200th character keeps none of it', async () => {
    wechat.fail({ errcode: 40125, errmsg: errmsgWith(178) }, { times: 1 });
    const wx = createWechatClient({ appId: wechat.appId, appSecret: wechat.appSecret, apiBaseUrl: wechat.url, logger: false });
    const err = await wx.code2Session(wechat.issueLoginCode()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatApiError);
    expect((err as WechatApiError).code).toBe('WECHAT_CONFIG_ERROR');
    expect(longestPiece((err as WechatApiError).errmsg)).toBeLessThan(4);
  });
});
