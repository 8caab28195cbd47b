import { createServer } from 'node:net';

/** True when nothing listens on `port` of 127.0.0.1 (checked by binding it briefly). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * A port on 127.0.0.1 that is free right now. With `busOffset`, the port
 * `port + busOffset` is free too (Redis Cluster's bus listens there).
 *
 * @example
 * ```ts
 * const port = await freePort({ busOffset: 10000 });
 * ```
 */
export async function freePort(options: { busOffset?: number } = {}): Promise<number> {
  const offset = options.busOffset ?? 0;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = 20000 + Math.floor(Math.random() * (45000 - offset));
    if (!(await isPortFree(port))) continue;
    if (offset === 0 || (await isPortFree(port + offset))) return port;
  }
  throw new Error('no free loopback port found after 200 attempts');
}
