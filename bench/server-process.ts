/**
 * One server configuration in a process of its own (pinned by the
 * orchestrator to the measured core), and next to it, under TWIN_PATH, bare
 * Express: the baseline each of its runs is paired with, in the same
 * process (same JIT and memory luck) and seconds apart. Requests go to one
 * app or the other by a single string comparison. It answers:
 * - `setup` (with a ServerEnv): build the app, listen, log in if needed,
 *   and reply with the port and the requests to repeat (the
 *   configuration's, and the bare twin's);
 * - `cpu`: this process's CPU time so far (µs) and requests received.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bareApp, bareLoad, TWIN_PATH } from './apps/bare.js';
import { BUILDERS, type BuiltConfig, type ServerEnv } from './apps/index.js';
import { failStart, serveParent } from './ipc.js';

const name = process.argv[2] ?? '';

async function setup(env: ServerEnv, counter: { served: number }): Promise<unknown> {
  const build = BUILDERS[name];
  if (!build) throw new Error(`unknown configuration '${name}'`);
  const config: BuiltConfig = await build(env);
  const twin = bareApp(env.fixture.openid, TWIN_PATH);
  const { app } = config;
  const server = createServer((req, res) => (req.url === TWIN_PATH ? twin(req, res) : app(req, res)));
  server.keepAliveTimeout = 60_000;
  server.on('request', () => (counter.served += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const load = await config.load(base);
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close();
    config.close().finally(() => process.exit(0));
  });
  return { base, load, twin: bareLoad(TWIN_PATH) };
}

function main(): void {
  const counter = { served: 0 };
  serveParent({ name }, (request) => {
    if (request.type === 'setup') return setup(request.env as ServerEnv, counter);
    if (request.type === 'cpu') {
      const usage = process.cpuUsage();
      return { cpuMicros: usage.user + usage.system, served: counter.served };
    }
    throw new Error(`unknown request ${String(request.type)}`);
  });
}

try {
  main();
} catch (error) {
  failStart(error);
}
