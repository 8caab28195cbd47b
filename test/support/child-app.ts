/**
 * The child side of {@link spawnListening}: what an app process started by
 * a test needs to read its settings, say where it listens and stop cleanly.
 */
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** The environment variable `name`, else `fallback`; throws when neither is set. */
export function env(name: string, fallback?: string): string {
  const value = process.env[name] || fallback;
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

/**
 * Listen on a free loopback port, print `{"url": …}` as one JSON line (what
 * `spawnListening` waits for), and on SIGTERM close the server, then `close`
 * the app's own resources and exit.
 */
export function serveApp(app: Express, close: () => Promise<void>): void {
  const server = app.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
  });
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => void close().then(() => process.exit(0)));
  });
}

/** Run the process's `main`; a failure goes to stderr (the parent shows it) and exits 1. */
export function runApp(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`app-process failed: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  });
}
