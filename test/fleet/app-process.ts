/**
 * One app process of the fleet test: the README's Express set-up on a shared
 * Redis, pointed at the WeChat stand-in of the test process. Run with
 * `node --import tsx test/fleet/app-process.ts`; configured by environment:
 * REDIS_URL, WXS_PREFIX, WXS_API_BASE_URL, WXS_APP_ID, WXS_APP_SECRET.
 * Prints `{"port":N}` on one line once it listens; exits on SIGTERM, or when
 * its stdin closes (the test process is gone).
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createClient } from 'redis';
import { redisStore } from '../../adapters/redis.js';
import { getWechatClient, wechatRouter, type WechatSessionOptions } from '../../src/index.js';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const redis = createClient({ url: env('REDIS_URL') });
  redis.on('error', () => undefined);
  await redis.connect();
  const wechat: WechatSessionOptions = {
    appId: env('WXS_APP_ID'),
    appSecret: env('WXS_APP_SECRET'),
    apiBaseUrl: env('WXS_API_BASE_URL'),
    store: redisStore({ client: redis, prefix: env('WXS_PREFIX') }),
    retryDelay: 20,
    logger: false,
  };
  const app = express();
  app.use('/wechat', wechatRouter(wechat));
  app.get('/stats', (_req, res) => {
    res.json({ pid: process.pid, tokenFetches: getWechatClient(wechat).accessTokenFetches });
  });
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close();
    void redis.quit().finally(() => process.exit(0));
  });
}

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

main().catch((err: unknown) => {
  process.stderr.write(`app process failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
