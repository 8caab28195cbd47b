import { createServer } from 'node:net';
import { memoryStore } from '../../adapters/memory.js';
import { wechatSession, type WechatSessionOptions } from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { startHostileUpstream, type HostileUpstream } from './hostile-upstream.js';

/** A loopback port nothing listens on: connections to it are refused. */
async function refusingUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

let wechat: WechatStandIn;
let failing: HostileUpstream;
beforeAll(async () => {
  wechat = await startWechatStandIn();
  failing = await startHostileUpstream();
});
afterAll(async () => {
  await wechat.close();
  await failing.close();
});

const options = (extra: Partial<WechatSessionOptions>): WechatSessionOptions => ({
  appId: wechat.appId,
  appSecret: wechat.appSecret,
  store: memoryStore(),
  retries: 0,
  logger: false,
  ...extra,
});

async function outcome(ctx: ReturnType<typeof wechatSession>, code: string): Promise<string> {
  try {
    return (await ctx.client.code2Session(code)).openid;
  } catch (err) {
    return (err as { code: string }).code;
  }
}

describe('the backup domain', () => {
  it('takes a call that could not reach the primary at all, once', async () => {
    const ctx = wechatSession(options({ apiBaseUrl: await refusingUrl(), backupApiBaseUrl: wechat.url }));
    const before = wechat.calls.jscode2session;
    expect(await outcome(ctx, wechat.issueLoginCode({ openid: 'oFailover' }))).toBe('oFailover');
    expect(wechat.calls.jscode2session).toBe(before + 1);
  });

  it('is not tried for a call that reached WeChat (a busy answer)', async () => {
    failing.answer = { json: { errcode: -1, errmsg: 'system busy' } };
    const ctx = wechatSession(options({ apiBaseUrl: failing.url, backupApiBaseUrl: wechat.url }));
    const before = wechat.calls.jscode2session;
    expect(await outcome(ctx, wechat.issueLoginCode())).toBe('WECHAT_UPSTREAM_ERROR');
    expect(wechat.calls.jscode2session).toBe(before);
  });

  it('is off with backupApiBaseUrl: false, and by default for an apiBaseUrl of your own', async () => {
    const refusing = await refusingUrl();
    for (const extra of [{ backupApiBaseUrl: false as const }, {}]) {
      const ctx = wechatSession(options({ apiBaseUrl: refusing, ...extra }));
      expect(await outcome(ctx, wechat.issueLoginCode())).toBe('WECHAT_UPSTREAM_ERROR');
    }
    expect(() => wechatSession(options({ backupApiBaseUrl: 'http://api2.weixin.qq.com' }))).toThrow(/`backupApiBaseUrl`/);
  });
});
