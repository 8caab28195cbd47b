import { randomBytes } from 'node:crypto';
import express from 'express';
import { memoryAdapter } from '../library.js';
import { referenceDecrypt } from '../reference-decrypt.js';
import type { BuiltConfig, LoadShape, ServerEnv } from './shared.js';

const TTL_SECONDS = 3 * 24 * 3600;

/**
 * The minimal login an app could write by hand: one `jscode2session` fetch,
 * one random token, one write to the same memory store the library uses.
 * No body size limit, no retries, no coalescing, no per-user index.
 */
export async function handLoginConfig(env: ServerEnv): Promise<BuiltConfig> {
  const { url, appId, appSecret } = env.standIn;
  const store = memoryAdapter().memoryStore(); // the same store as the library's login row
  const app = express();
  app.post('/login', express.json(), async (req, res) => {
    const code = String((req.body as { code?: unknown }).code ?? '');
    const query = new URLSearchParams({ appid: appId, secret: appSecret, js_code: code, grant_type: 'authorization_code' });
    const answer = (await (await fetch(`${url}/sns/jscode2session?${query}`)).json()) as { openid?: string; session_key?: string; errcode?: number };
    if (!answer.openid || !answer.session_key) {
      res.status(401).json({ errcode: answer.errcode });
      return;
    }
    const token = randomBytes(16).toString('base64url');
    await store.set(token, JSON.stringify({ openid: answer.openid, sessionKey: answer.session_key }), TTL_SECONDS);
    res.json({ token });
  });
  const load = async (): Promise<LoadShape> => ({ method: 'POST', path: '/login', headers: {}, codes: true });
  return { app, load, close: async () => undefined };
}

/**
 * A route that decrypts the same legacy phone body with a session_key it
 * already holds: no token, no session lookup, the reference decryption.
 */
export async function handPhoneConfig(env: ServerEnv): Promise<BuiltConfig> {
  const { appId } = env.standIn;
  const sessionKey = env.fixture.sessionKey;
  const app = express();
  app.post('/login', (_req, res) => {
    res.status(204).end(); // same route table as the library's configuration
  });
  app.post('/api/phone', express.json(), (req, res) => {
    const { encryptedData, iv } = req.body as { encryptedData: string; iv: string };
    const data = referenceDecrypt(sessionKey, encryptedData, iv, appId) as { phoneNumber: string; purePhoneNumber: string; countryCode: string };
    res.json({ phoneNumber: data.phoneNumber, purePhoneNumber: data.purePhoneNumber, countryCode: String(data.countryCode) });
  });
  const load = async (): Promise<LoadShape> => ({
    method: 'POST',
    path: '/api/phone',
    headers: { authorization: `Bearer ${'A'.repeat(32)}` },
    body: JSON.stringify({ encryptedData: env.fixture.encryptedData, iv: env.fixture.iv }),
  });
  return { app, load, close: async () => undefined };
}

/**
 * The least a Redis-backed protected route can do: read the bearer token,
 * one node-redis `GET` of the session stored under it, `JSON.parse`, answer.
 * No hashing, no expiry check, no renewal, no shape checks. With `cached`,
 * the client is created with `RESP: 3` and `clientSideCache`, read directly.
 * The floor under the library's Redis rows: what one read through node-redis
 * costs on this machine.
 */
export async function handRedisConfig(env: ServerEnv, cached: boolean): Promise<BuiltConfig> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createClient } = require('redis') as typeof import('redis');
  const client = cached
    ? createClient({ url: env.redisUrl, RESP: 3, clientSideCache: { ttl: 0, maxEntries: 10_000 } })
    : createClient({ url: env.redisUrl });
  client.on('error', (error: Error) => console.error(`bench redis client: ${error.message}`));
  await client.connect();
  const token = randomBytes(24).toString('base64url');
  await client.set(`hand:${token}`, JSON.stringify({ openid: env.fixture.openid, sessionKey: env.fixture.sessionKey }), { EX: TTL_SECONDS });
  const app = express();
  app.post('/login', (_req, res) => {
    res.status(204).end(); // same route table as the library's configuration
  });
  app.get('/api/me', (req, res) => {
    const header = req.headers.authorization ?? '';
    client.get(`hand:${header.slice(7)}`).then(
      (value) => {
        if (typeof value !== 'string') return void res.status(401).json({ code: 'UNAUTHORIZED' });
        const session = JSON.parse(value) as { openid: string };
        res.json({ openid: session.openid });
      },
      () => void res.status(503).json({ code: 'STORE_UNAVAILABLE' }),
    );
  });
  const load = async (): Promise<LoadShape> => ({ method: 'GET', path: '/api/me', headers: { authorization: `Bearer ${token}` } });
  return { app, load, close: () => client.close() };
}
