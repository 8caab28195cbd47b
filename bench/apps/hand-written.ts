import { randomBytes } from 'node:crypto';
import express from 'express';
import { memoryStore } from '../../adapters/memory.js';
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
  const store = memoryStore();
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
