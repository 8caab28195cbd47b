/**
 * One server configuration in a process of its own (pinned by the
 * orchestrator to the measured core). It answers:
 * - `setup` (with a ServerEnv): build the app, listen, log in if needed,
 *   and reply with the port and the request to repeat;
 * - `cpu`: this process's CPU time so far (µs) and requests received.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUILDERS, type BuiltConfig, type ServerEnv } from './apps/index.js';
import { failStart, serveParent } from './ipc.js';

const name = process.argv[2] ?? '';

async function setup(env: ServerEnv, counter: { served: number }): Promise<unknown> {
  const build = BUILDERS[name];
  if (!build) throw new Error(`unknown configuration '${name}'`);
  const config: BuiltConfig = await build(env);
  const server = createServer(config.app);
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
  return { base, load };
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
