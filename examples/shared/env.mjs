// Configuration shared by the examples: WeChat credentials from the
// environment, or a local WeChat stand-in when there are none, and a
// listener that prints its URL and shuts down cleanly.
import { createServer } from 'node:http';
import { startWechatStandIn } from 'express-wechat-session/testing';

/**
 * WeChat settings from WECHAT_APP_ID, WECHAT_APP_SECRET and (optionally)
 * WECHAT_API_BASE_URL. Without credentials it starts a local WeChat
 * stand-in in this process, so the example runs with no WeChat account.
 *
 * @example
 * const { wechat, standIn } = await wechatFromEnv();
 * app.use('/wechat', wechatRouter({ ...wechat, store: memoryStore() }));
 */
export async function wechatFromEnv(env = process.env) {
  const appId = env.WECHAT_APP_ID;
  const appSecret = env.WECHAT_APP_SECRET;
  if (appId && appSecret) {
    const apiBaseUrl = env.WECHAT_API_BASE_URL || undefined;
    return { wechat: { appId, appSecret, ...(apiBaseUrl && { apiBaseUrl }) }, standIn: undefined };
  }
  if (appId || appSecret) throw new Error('Set both WECHAT_APP_ID and WECHAT_APP_SECRET, or neither (local stand-in)');
  const standIn = await startWechatStandIn();
  console.log(`No WECHAT_APP_ID/WECHAT_APP_SECRET: using a local WeChat stand-in at ${standIn.url}`);
  onShutdown(() => standIn.close());
  const wechat = { appId: standIn.appId, appSecret: standIn.appSecret, apiBaseUrl: standIn.url };
  return { wechat, standIn };
}

const cleanups = [];

/** Run `fn` when the process is asked to stop (SIGINT, SIGTERM). */
export function onShutdown(fn) {
  cleanups.push(fn);
}

async function shutdown() {
  for (const fn of cleanups.reverse())
    await Promise.resolve()
      .then(fn)
      .catch(() => undefined);
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

/**
 * Listen on HOST:PORT (defaults 127.0.0.1:3000; PORT=0 picks a free port)
 * and print the URL.
 *
 * @example
 * const url = await serve(app, 'memory example');
 */
export function serve(app, label, env = process.env) {
  const host = env.HOST || '127.0.0.1';
  const port = Number(env.PORT ?? 3000);
  return new Promise((resolve, reject) => {
    const server = createServer(app);
    server.once('error', reject);
    server.listen(port, host, () => {
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${server.address().port}`;
      console.log(`${label} listening on ${url}`);
      resolve(url);
    });
    onShutdown(() => {
      server.closeAllConnections();
      return new Promise((done) => server.close(done));
    });
  });
}
