import { connect } from 'node:net';
import express from 'express';
import { memoryStore } from '../../adapters/memory.js';
import { decryptPhone, wechatLogout, wechatSession, type WechatStore } from '../../src/index.js';
import { listen, recordingLogger } from '../support/harness.js';

/**
 * Send the head of a POST announcing `length` bytes and drip the body one
 * byte every 100 ms; resolves how the connection ended and how long it stayed
 * open (bounded: the drip stops after `maxMs`).
 */
function drip(url: string, path: string, length: number, maxMs: number): Promise<{ answer: string; ms: number; closedByServer: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    let answer = '';
    let closedByServer = false;
    const timer = setInterval(() => {
      if (Date.now() - started > maxMs) return socket.destroy();
      socket.write('a');
    }, 100);
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => (closedByServer = true));
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, ms: Date.now() - started, closedByServer });
    });
    socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`);
  });
}

it('closes the connection of a request answered before its body arrived, instead of draining a dripping body', async () => {
  const ctx = wechatSession({ appId: 'wx0123456789early1', appSecret: 's'.repeat(32), apiBaseUrl: 'http://127.0.0.1:9', logger: false });
  const app = express();
  app.post('/phone', decryptPhone(ctx), (_req, res) => res.end());
  app.post('/logout', wechatLogout(ctx), (_req, res) => res.end());
  const { server, url } = await listen(app);
  try {
    for (const path of ['/phone', '/logout']) {
      const ended = await drip(url, path, 100_000, 5000);
      expect(ended.answer).toMatch(/^HTTP\/1\.1 401 /);
      expect(ended.answer).toMatch(/\r\nConnection: close\r\n/i);
      expect(ended.closedByServer).toBe(true);
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

it('names the store’s own error in the first log line and in storeError, never a key', async () => {
  class ReplyError extends Error {
    override name = 'ReplyError';
  }
  const lines: string[] = [];
  const causes: string[] = [];
  const inner = memoryStore();
  const store: WechatStore = { ...inner, set: () => Promise.reject(new ReplyError('ERR syntax error')) };
  const ctx = wechatSession({
    appId: 'wx0123456789cause1',
    appSecret: 's'.repeat(32),
    store,
    logger: recordingLogger(lines),
    on: { storeError: (e) => void causes.push(e.cause) },
  });
  await expect(ctx.app().sessions.create({ openid: 'oCause', sessionKey: 'k'.repeat(24) })).rejects.toMatchObject({ code: 'WECHAT_STORE_UNAVAILABLE' });
  expect(causes).toEqual(['ReplyError: ERR syntax error']);
  const first = JSON.parse(lines[0]!);
  expect(first).toMatchObject({ level: 'warn', event: 'store.failed', operation: 'set', cause: 'ReplyError: ERR syntax error' });
  expect(lines.join()).not.toContain(':s:');
});
