import express from 'express';
import { memoryStore } from '../../adapters/memory.js';
import { revokeWechatSessions, wechatHandler, wechatLogin, wechatSession, type LoginInfo, type WechatSessionOptions } from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { listen } from '../support/harness.js';

let wechat: WechatStandIn;
beforeAll(async () => {
  wechat = await startWechatStandIn();
});
afterAll(() => wechat.close());
afterEach(() => wechat.heal());

/** A login route behind `trust proxy` (loopback), recording what onLogin got and what was asked of getuserriskrank. */
async function appWith(extra: Partial<WechatSessionOptions>) {
  const hooks: LoginInfo[] = [];
  const asked: Record<string, unknown>[] = [];
  const ctx = wechatSession({
    appId: wechat.appId,
    appSecret: wechat.appSecret,
    apiBaseUrl: wechat.url,
    store: memoryStore(),
    retries: 0,
    logger: false,
    onLogin: (_session, _req, info) => void hooks.push(info),
    fetch: (async (url: string, init: RequestInit) => {
      if (url.includes('getuserriskrank')) asked.push(JSON.parse(String(init.body)));
      return fetch(url, init);
    }) as typeof fetch,
    ...extra,
  });
  const app = express();
  app.set('trust proxy', 'loopback');
  app.post(
    '/login',
    wechatLogin(ctx),
    wechatHandler((req, res) => res.json({ token: req.wechat.token })),
  );
  const { server, url } = await listen(app);
  const login = async (openid: string, rank?: number) => {
    const code = wechat.issueLoginCode({ openid });
    if (rank !== undefined) wechat.setRiskRank(openid, rank, { unionId: 987654 });
    const res = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' },
      body: JSON.stringify({ code }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  return { ctx, hooks, asked, login, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('riskRank at login', () => {
  it('refuses a rank at or above refuseAt with 403 WECHAT_USER_BLOCKED and creates no session', async () => {
    const app = await appWith({ riskRank: { scene: 0, refuseAt: 3 } });
    try {
      const res = await app.login('oRisky', 3);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('WECHAT_USER_BLOCKED');
      expect(app.hooks).toHaveLength(0);
      expect(await revokeWechatSessions(app.ctx, 'oRisky')).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('lets a lower rank in and hands rank and unoin_id (sic) to onLogin; asks with the client IP behind trust proxy', async () => {
    const app = await appWith({ riskRank: { scene: 1, refuseAt: 3 } });
    try {
      const res = await app.login('oCalm', 2);
      expect(res.status).toBe(200);
      expect(app.hooks).toEqual([{ riskRank: 2, riskUnionId: 987654 }]);
      expect(app.asked).toEqual([{ appid: wechat.appId, openid: 'oCalm', scene: 1, client_ip: '203.0.113.7' }]);
    } finally {
      await app.close();
    }
  });

  it('without refuseAt only hands the rank on', async () => {
    const app = await appWith({ riskRank: { scene: 0 } });
    try {
      expect((await app.login('oAnyRank', 4)).status).toBe(200);
      expect(app.hooks[0]?.riskRank).toBe(4);
    } finally {
      await app.close();
    }
  });

  it('lets the login through when the risk call fails, unless failClosed', async () => {
    const open = await appWith({ riskRank: { scene: 0, refuseAt: 1 } });
    const closed = await appWith({ riskRank: { scene: 0, refuseAt: 1, failClosed: true } });
    try {
      wechat.fail('http500', { api: 'getuserriskrank', times: 1 });
      expect((await open.login('oRiskDown', 0)).status).toBe(200);
      expect(open.hooks).toEqual([{}]);
      wechat.fail('http500', { api: 'getuserriskrank', times: 1 });
      const res = await closed.login('oRiskDownClosed', 0);
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('WECHAT_UPSTREAM_ERROR');
    } finally {
      await open.close();
      await closed.close();
    }
  });

  it('is off by default: a login makes no risk call', async () => {
    const app = await appWith({});
    try {
      const before = wechat.calls.getuserriskrank;
      expect((await app.login('oNoRisk', 4)).status).toBe(200);
      expect(wechat.calls.getuserriskrank).toBe(before);
    } finally {
      await app.close();
    }
  });

  it.each([[{ scene: 2 }], [{ scene: 0, refuseAt: 5 }], [{ scene: 0, failClosed: 'yes' }], [{ scene: 0, refuse: 3 }], ['on']])(
    'refuses riskRank %j at start-up',
    (riskRank) => {
      expect(() => wechatSession({ appId: wechat.appId, appSecret: wechat.appSecret, riskRank } as never)).toThrow(TypeError);
    },
  );
});
