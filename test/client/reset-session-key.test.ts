import express from 'express';
import { memoryStore } from '../../adapters/memory.js';
import { revokeWechatSessions, wechatHandler, wechatLogin, wechatLogout, wechatSession, type WechatSessionOptions } from '../../src/index.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { listen, recordingLogger } from '../support/harness.js';

let wechat: WechatStandIn;
beforeAll(async () => {
  wechat = await startWechatStandIn();
});
afterAll(() => wechat.close());

/** An app whose login remembers each user's session_key (read through onLogin), to check it with WeChat later. */
async function appWith(extra: Partial<WechatSessionOptions>) {
  const keys = new Map<string, string>();
  const logs: string[] = [];
  const ctx = wechatSession({
    appId: wechat.appId,
    appSecret: wechat.appSecret,
    apiBaseUrl: wechat.url,
    store: memoryStore(),
    retries: 0,
    logger: recordingLogger(logs),
    onLogin: (session) => void keys.set(session.openid, session.sessionKey),
    ...extra,
  });
  const app = express();
  app.post(
    '/login',
    wechatLogin(ctx),
    wechatHandler((req, res) => res.json({ token: req.wechat.token })),
  );
  app.post('/logout', wechatLogout(ctx), (_req, res) => res.status(204).end());
  const { server, url } = await listen(app);
  const post = async (path: string, body: unknown, token?: string) =>
    (
      await fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: JSON.stringify(body),
      })
    ).status;
  const login = async (openid: string) => {
    const res = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: wechat.issueLoginCode({ openid }) }),
    });
    return ((await res.json()) as { token: string }).token;
  };
  return { ctx, keys, logs, post, login, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('resetSessionKeyOnLogout', () => {
  it('has WeChat replace the session_key at logout: the old key is dead afterwards', async () => {
    const app = await appWith({ resetSessionKeyOnLogout: true });
    try {
      const token = await app.login('oReset');
      const oldKey = app.keys.get('oReset')!;
      expect(await app.ctx.client.checkSessionKey('oReset', oldKey)).toBe(true);
      const before = wechat.calls.resetusersessionkey;
      expect(await app.post('/logout', {}, token)).toBe(204);
      expect(wechat.calls.resetusersessionkey).toBe(before + 1);
      expect(await app.ctx.client.checkSessionKey('oReset', oldKey)).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('resets on revokeWechatSessions too, with the newest session’s key', async () => {
    const app = await appWith({ resetSessionKeyOnLogout: true });
    try {
      await app.login('oRevokeReset');
      const oldKey = app.keys.get('oRevokeReset')!;
      expect(await revokeWechatSessions(app.ctx, 'oRevokeReset')).toBe(1);
      expect(await app.ctx.client.checkSessionKey('oRevokeReset', oldKey)).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('never fails the logout when the reset fails, and logs it', async () => {
    const app = await appWith({ resetSessionKeyOnLogout: true });
    try {
      const token = await app.login('oResetFails');
      wechat.fail('http500', { api: 'resetusersessionkey', times: 1 });
      expect(await app.post('/logout', {}, token)).toBe(204);
      expect(app.logs.map((l) => JSON.parse(l).event)).toContain('session_key.reset_failed');
    } finally {
      wechat.heal();
      await app.close();
    }
  });

  it('is off by default: a logout makes no WeChat call', async () => {
    const app = await appWith({});
    try {
      const token = await app.login('oNoReset');
      const before = wechat.calls.resetusersessionkey;
      expect(await app.post('/logout', {}, token)).toBe(204);
      expect(wechat.calls.resetusersessionkey).toBe(before);
    } finally {
      await app.close();
    }
  });
});
