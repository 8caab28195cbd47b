import type { AddressInfo } from 'node:net';
import express4 from 'express4';
import { decryptPhone, requireWechatSession, wechatLogin, wechatLogout, wechatRouter } from '../../src/index.js';
import { startWechatStandIn } from '../../src/testing/index.js';

it('runs the whole flow on Express 4', async () => {
  const wechat = await startWechatStandIn();
  const options = { appId: wechat.appId, appSecret: wechat.appSecret, apiBaseUrl: wechat.url, logger: false as const };
  const app = express4();
  app.use('/wechat', wechatRouter(options) as never);
  app.post('/login', wechatLogin(options) as never, (req: any, res: any) => res.json({ token: req.wechat.token }));
  app.use('/api', requireWechatSession(options) as never);
  app.get('/api/me', (req: any, res: any) => res.json({ openid: req.wechat.openid }));
  app.post('/api/phone', decryptPhone(options) as never, (req: any, res: any) => res.json(req.wechat.phone));
  app.post('/api/logout', wechatLogout(options) as never, (_req: any, res: any) => res.status(204).end());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (path: string, body: unknown, token?: string) =>
    fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  try {
    const code = wechat.issueLoginCode({ openid: 'oExpress4' });
    const { token } = await (await post('/login', { code })).json();
    expect((await (await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).json()).openid).toBe('oExpress4');
    const phone = await (await post('/api/phone', wechat.encryptPhone('oExpress4', '13700000000'), token)).json();
    expect(phone.phoneNumber).toBe('13700000000');
    const routed = await (await post('/wechat/login', { code: wechat.issueLoginCode() })).json();
    expect(routed.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await post('/api/logout', {}, token)).status).toBe(204);
    const after = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    expect((await after.json()).error.code).toBe('WECHAT_SESSION_INVALID');
  } finally {
    server.close();
    await wechat.close();
  }
});
