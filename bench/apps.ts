/**
 * The apps the bench measures, by name. Each is built in a server process
 * of its own (bench/server.ts) from the compiled package, then says which
 * request the load generator repeats against it. A new app is an entry in
 * APPS (and a row in bench/run.ts).
 */
import { createDecipheriv, createHash, randomBytes } from 'node:crypto';
import express, { type Express } from 'express';
import session from 'express-session';
import { decryptPhone, requireWechatSession, wechatLogin, wechatSession, type WechatStore } from 'express-wechat-session';
import { memoryStore } from 'express-wechat-session/adapters/memory';
import { redisStore } from 'express-wechat-session/adapters/redis';
import { Redis } from 'ioredis';
import { createClient } from 'redis';

/** What every server process is handed: where the stand-in and Redis are, and a user of the stand-in. */
export interface AppEnv {
  redisUrl: string;
  wechat: { url: string; appId: string; appSecret: string };
  /** A login code of this user, its session_key, and a legacy phone payload encrypted with it. */
  user: { openid: string; code: string; sessionKey: string; encryptedData: string; iv: string };
}

/** The request the load generator repeats. */
export interface Load {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Send `{ code }` with a fresh login code of the stand-in each time. */
  freshCodes?: boolean;
}

export interface BenchApp {
  app: Express;
  /** Called once the server listens on `base`: log in if needed; the request to repeat. */
  load(base: string): Promise<Load>;
  close(): Promise<void>;
}

type Build = (env: AppEnv) => Promise<BenchApp>;

const THREE_DAYS = 3 * 24 * 3600;
const nothing = async (): Promise<void> => undefined;

/** A bearer header of a real token's size, for routes that ignore it. */
const IGNORED_BEARER = { authorization: `Bearer ${'A'.repeat(43)}` };

/** Bare Express: a login route (as every app has one) and the route under `path`, no authentication. */
export function bareApp(openid: string, path: string): Express {
  const app = express();
  app.post('/login', (_req, res) => void res.status(204).end());
  app.get(path, (_req, res) => void res.json({ openid }));
  return app;
}

export const bareLoad = (path: string): Load => ({ method: 'GET', path, headers: IGNORED_BEARER });

async function redisClient(url: string, cached: boolean) {
  const client = createClient(cached ? { url, RESP: 3, clientSideCache: { ttl: 0, maxEntries: 10_000 } } : { url });
  client.on('error', (error: Error) => console.error(`bench redis client: ${error.message}`));
  await client.connect();
  return client;
}

async function postJson(url: string, body: unknown): Promise<Response> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${await res.text()}`);
  return res;
}

/** This library as its README wires it, in front of the same small route; `route` says which one is measured. */
async function ours(env: AppEnv, route: 'me' | 'phone' | 'login', opened: { store: WechatStore; close(): Promise<void> }): Promise<BenchApp> {
  const options = wechatSession({ appId: env.wechat.appId, appSecret: env.wechat.appSecret, apiBaseUrl: env.wechat.url, store: opened.store });
  const app = express();
  app.post('/login', wechatLogin(options), (req, res) => void res.json({ token: req.wechat!.token }));
  if (route === 'me') app.get('/api/me', requireWechatSession(options), (req, res) => void res.json({ openid: req.wechat!.openid }));
  if (route === 'phone') app.post('/api/phone', decryptPhone(options), (req, res) => void res.json(req.wechat!.phone));
  const load = async (base: string): Promise<Load> => {
    if (route === 'login') return { method: 'POST', path: '/login', headers: {}, freshCodes: true };
    const { token } = (await (await postJson(`${base}/login`, { code: env.user.code })).json()) as { token: string };
    const headers = { authorization: `Bearer ${token}` };
    if (route === 'me') return { method: 'GET', path: '/api/me', headers };
    const body = JSON.stringify({ encryptedData: env.user.encryptedData, iv: env.user.iv });
    return { method: 'POST', path: '/api/phone', headers, body };
  };
  return { app, load, close: opened.close };
}

const onMemory = () => ({ store: memoryStore(), close: nothing });

/** The same store on ioredis (the most used Redis client), with its recommended settings. */
async function onIoredis(env: AppEnv) {
  const client = new Redis(env.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  client.on('error', (error: Error) => console.error(`bench ioredis client: ${error.message}`));
  await new Promise((resolve) => client.once('ready', resolve));
  return { store: redisStore({ client: client as never, prefix: 'bench-io:' }), close: async () => void (await client.quit()) };
}

async function onRedis(env: AppEnv, cached: boolean) {
  const client = await redisClient(env.redisUrl, cached);
  return { store: redisStore({ client: client as never, prefix: cached ? 'bench-csc:' : 'bench:' }), close: () => client.close() };
}

/** express-session with connect-redis on the same Redis, as their READMEs set it up, in front of the same route. */
async function expressSessionApp(env: AppEnv): Promise<BenchApp> {
  const { RedisStore } = await import('connect-redis'); // ES modules only since connect-redis 10
  const client = await redisClient(env.redisUrl, false);
  const app = express();
  const secret = 'a bench secret as long as a real one would be';
  app.use(
    session({ store: new RedisStore({ client, prefix: 'bench-es:' }), secret, resave: false, saveUninitialized: false, cookie: { maxAge: THREE_DAYS * 1000 } }),
  );
  app.post('/login', (req, res) => {
    (req.session as unknown as { openid: string }).openid = env.user.openid;
    res.json({ ok: true });
  });
  app.get('/api/me', (req, res) => {
    const openid = (req.session as unknown as { openid?: string }).openid;
    if (openid) res.json({ openid });
    else res.status(401).json({ error: 'login first' });
  });
  const load = async (base: string): Promise<Load> => {
    const cookie = (await postJson(`${base}/login`, {})).headers.get('set-cookie')?.split(';')[0];
    if (!cookie) throw new Error('express-session answered the login without a cookie');
    return { method: 'GET', path: '/api/me', headers: { cookie } };
  };
  return { app, load, close: () => client.close() };
}

/**
 * wafer-node-session on its default MemoryStore. Its login calls
 * api.weixin.qq.com itself, so the session its login would make is put in
 * the store directly: `skey = sha1(appId + appSecret + session_key)`.
 */
async function waferApp(env: AppEnv): Promise<BenchApp> {
  // wafer-node-session has no types of its own.
  const waferSession = require('wafer-node-session') as (options: object) => express.RequestHandler;
  const { appId, appSecret } = env.wechat;
  const store = new session.MemoryStore();
  const app = express();
  app.use(waferSession({ appId, appSecret, loginPath: '/login', store }));
  app.get('/api/me', (req, res) => {
    const current = (req as unknown as { session?: { userInfo?: { openId?: string } } }).session;
    if (current) res.json({ openid: current.userInfo?.openId });
    else res.status(401).json({ error: 'login first' });
  });
  const load = async (): Promise<Load> => {
    const id = randomBytes(32).toString('hex');
    const skey = createHash('sha1')
      .update(appId + appSecret + env.user.sessionKey)
      .digest('hex');
    const cookie = Object.assign(new session.Cookie(), { maxAge: THREE_DAYS * 1000 });
    const record = { id, skey, sessionKey: env.user.sessionKey, userInfo: { openId: env.user.openid }, cookie };
    await new Promise<void>((resolve, reject) => store.set(id, record as never, (err?: unknown) => (err ? reject(err) : resolve())));
    return { method: 'GET', path: '/api/me', headers: { 'x-wx-id': id, 'x-wx-skey': skey } };
  };
  return { app, load, close: nothing };
}

/** The least a login can do: one jscode2session fetch, a random token, one write to the library's memory store. */
async function handLoginApp(env: AppEnv): Promise<BenchApp> {
  const { url, appId, appSecret } = env.wechat;
  const store = memoryStore();
  const app = express();
  app.post('/login', express.json(), async (req, res) => {
    const query = new URLSearchParams({ appid: appId, secret: appSecret, js_code: String(req.body.code), grant_type: 'authorization_code' });
    const answer = (await (await fetch(`${url}/sns/jscode2session?${query}`)).json()) as { openid?: string; session_key?: string };
    if (!answer.openid || !answer.session_key) return void res.status(401).json({ error: 'login failed' });
    const token = randomBytes(32).toString('base64url');
    await store.set(token, JSON.stringify({ openid: answer.openid, sessionKey: answer.session_key }), THREE_DAYS);
    res.json({ token });
  });
  return { app, load: async () => ({ method: 'POST', path: '/login', headers: {}, freshCodes: true }), close: nothing };
}

/** A route that decrypts the same legacy phone body with the session_key it already holds: no session, no input checks. */
async function handPhoneApp(env: AppEnv): Promise<BenchApp> {
  const key = Buffer.from(env.user.sessionKey, 'base64');
  const app = express();
  app.post('/login', (_req, res) => void res.status(204).end());
  app.post('/api/phone', express.json(), (req, res) => {
    const decipher = createDecipheriv('aes-128-cbc', key, Buffer.from(req.body.iv, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(req.body.encryptedData, 'base64')), decipher.final()]);
    const data = JSON.parse(plain.toString('utf8'));
    if (data.watermark?.appid !== env.wechat.appId) return void res.status(400).json({ error: 'watermark' });
    res.json({ phoneNumber: data.phoneNumber, purePhoneNumber: data.purePhoneNumber, countryCode: String(data.countryCode) });
  });
  const body = JSON.stringify({ encryptedData: env.user.encryptedData, iv: env.user.iv });
  return { app, load: async () => ({ method: 'POST', path: '/api/phone', headers: IGNORED_BEARER, body }), close: nothing };
}

export const APPS: Readonly<Record<string, Build>> = {
  bare: async (env) => ({ app: bareApp(env.user.openid, '/api/me'), load: async () => bareLoad('/api/me'), close: nothing }),
  memory: async (env) => ours(env, 'me', onMemory()),
  redis: async (env) => ours(env, 'me', await onRedis(env, false)),
  'redis-csc': async (env) => ours(env, 'me', await onRedis(env, true)),
  ioredis: async (env) => ours(env, 'me', await onIoredis(env)),
  'express-session': expressSessionApp,
  wafer: waferApp,
  login: async (env) => ours(env, 'login', onMemory()),
  'login-hand': handLoginApp,
  phone: async (env) => ours(env, 'phone', onMemory()),
  'phone-hand': handPhoneApp,
};
