/**
 * One app of bench/apps.ts in a process of its own, started by bench/run.ts
 * (`fork`, app name as argument, AppEnv as JSON in BENCH_ENV). Beside the
 * app, under TWIN_PATH, it serves bare Express: the control each run of the
 * app is paired with, in the same process. Over IPC it reports where it
 * listens, then answers every message with its CPU time so far (µs) and
 * the requests it has received.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APPS, bareApp, bareLoad, type AppEnv } from './apps.js';

const TWIN_PATH = '/twin/me';

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  const build = APPS[name];
  if (!build) throw new Error(`unknown app '${name}'`);
  const env = JSON.parse(process.env.BENCH_ENV ?? '{}') as AppEnv;
  const built = await build(env);
  const twin = bareApp(env.user.openid, TWIN_PATH);
  const { app } = built;
  let served = 0;
  const server = createServer((req, res) => {
    served += 1;
    if (req.url === TWIN_PATH) twin(req, res);
    else app(req, res);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const load = await built.load(base);
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send!({ cpuMicros: user + system, served });
  });
  process.on('disconnect', () => {
    server.closeAllConnections();
    server.close();
    void built.close().finally(() => process.exit(0));
  });
  process.send!({ base, load, twin: bareLoad(TWIN_PATH) });
}

main().catch((error: unknown) => {
  process.send?.({ failed: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
