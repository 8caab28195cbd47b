// Starts two copies of app.mjs on PORT and PORT+1 (default 3000 and 3001;
// PORT=0 gives each a free port), both on REDIS_URL and the same WeChat
// settings. Without WECHAT_APP_ID/WECHAT_APP_SECRET it starts one local
// WeChat stand-in here and points both processes at it.
// Run: REDIS_URL=redis://127.0.0.1:6379 node examples/two-processes/start.mjs
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onShutdown, wechatFromEnv } from '../shared/env.mjs';

const { wechat } = await wechatFromEnv();
const port = Number(process.env.PORT ?? 3000);
const env = {
  ...process.env,
  WECHAT_APP_ID: wechat.appId,
  WECHAT_APP_SECRET: wechat.appSecret,
  ...(wechat.apiBaseUrl && { WECHAT_API_BASE_URL: wechat.apiBaseUrl }),
};
const app = fileURLToPath(new URL('./app.mjs', import.meta.url));

for (const [i, name] of ['A', 'B'].entries()) {
  const child = spawn(process.execPath, [app], {
    env: { ...env, APP_NAME: name, PORT: String(port === 0 ? 0 : port + i) },
    stdio: 'inherit',
  });
  child.on('exit', (code, signal) => {
    if (signal !== 'SIGTERM') console.error(`process ${name} exited (${signal ?? code})`);
  });
  onShutdown(() => stop(child));
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return undefined;
  return new Promise((done) => {
    child.once('exit', done);
    child.kill('SIGTERM');
  });
}
