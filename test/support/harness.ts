import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import express from 'express';
import { decryptPhone, requireWechatSession, wechatLogin, wechatLogout, wechatRouter, type WechatSessionOptions } from '../../src/index.js';
import { memoryStore } from '../../adapters/memory.js';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import type { WechatLogger } from '../../src/log.js';

export interface Harness {
  url: string;
  wechat: WechatStandIn;
  options: WechatSessionOptions;
  logs: string[];
  close(): Promise<void>;
  /** wx.login on the stand-in, then POST /wechat/login; resolves the token. */
  login(user?: { openid?: string; unionid?: string }): Promise<{ token: string; openid: string; body: Record<string, unknown> }>;
  post(path: string, body: unknown, token?: string, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  get(path: string, token?: string, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
}

/** A logger that keeps every line it is given, at every level. */
export function recordingLogger(lines: string[]): WechatLogger {
  const write = (level: string) => (obj: object, msg?: string) => lines.push(JSON.stringify({ level, ...obj, msg }));
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export async function listen(app: express.Express | ((req: any, res: any) => void)): Promise<{ server: Server; url: string }> {
  const server = createServer(app as never);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function call(url: string, init: RequestInit): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // left as text
  }
  return { status: res.status, body, headers: res.headers };
}

/**
 * An Express app wired like the README's quick start, in front of a
 * WeChat stand-in: `/wechat/*` is `wechatRouter`, `/api/*` uses the single
 * middleware.
 */
export async function startHarness(extra: Partial<WechatSessionOptions> = {}, wechat?: WechatStandIn): Promise<Harness> {
  const standIn = wechat ?? (await startWechatStandIn());
  const logs: string[] = [];
  const options: WechatSessionOptions = {
    appId: standIn.appId,
    appSecret: standIn.appSecret,
    apiBaseUrl: standIn.url,
    store: memoryStore(),
    timeout: 1000,
    retryDelay: 10,
    logger: recordingLogger(logs),
    ...extra,
  };
  const app = express();
  app.use('/wechat', wechatRouter(options));
  app.post('/login', wechatLogin(options), (req, res) => res.json({ token: req.wechat!.token, openid: req.wechat!.openid }));
  app.use('/api', requireWechatSession(options));
  app.get('/api/me', (req, res) => res.json({ openid: req.wechat!.openid, unionid: req.wechat!.unionid ?? null, data: req.wechat!.data }));
  app.post('/api/data', express.json(), async (req, res) => {
    await req.wechat!.save(req.body);
    res.json(req.wechat!.data);
  });
  app.post('/api/phone', decryptPhone(options), (req, res) => res.json(req.wechat!.phone));
  app.post('/api/logout', wechatLogout(options), (_req, res) => res.status(204).end());
  const { server, url } = await listen(app);
  const auth = (token?: string, headers: Record<string, string> = {}) => (token ? { authorization: `Bearer ${token}`, ...headers } : headers);
  const harness: Harness = {
    url,
    wechat: standIn,
    options,
    logs,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      if (!wechat) await standIn.close();
    },
    post: (path, body, token, headers) =>
      call(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth(token, headers) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    get: (path, token, headers) => call(url + path, { headers: auth(token, headers) }),
    async login(user) {
      const code = standIn.issueLoginCode(user);
      const res = await harness.post('/wechat/login', { code });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { token: res.body.token, openid: res.body.openid, body: res.body };
    },
  };
  return harness;
}
