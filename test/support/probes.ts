import { connect } from 'node:net';

const PROBE_TIMEOUT_MS = 500;

/** Send raw bytes to 127.0.0.1:`port`, resolve the text received once `done(text)` holds. */
export function exchange(port: number, payload: string, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let text = '';
    const finish = (error?: Error): void => {
      socket.destroy();
      if (error) reject(error);
      else resolve(text);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => finish(new Error(`no answer from port ${port}`)));
    socket.once('error', finish);
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      if (done(text)) finish();
    });
    socket.write(payload);
  });
}

/** Encode a Redis command in RESP. */
function resp(args: readonly string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
}

/** True once the reply text holds one complete simple, error, integer or bulk reply. */
function completeReply(text: string): boolean {
  const eol = text.indexOf('\r\n');
  if (eol < 0) return false;
  if (text[0] !== '$') return true;
  const length = Number(text.slice(1, eol));
  return length < 0 || Buffer.byteLength(text) >= eol + 2 + length + 2;
}

/** Run one Redis command over a fresh connection and return the raw reply text. */
export function redisRaw(port: number, ...args: string[]): Promise<string> {
  return exchange(port, resp(args), completeReply);
}

/** Resolves when `check` resolves true; retries every `intervalMs` until `timeoutMs`. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 5000, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await check().catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A Redis server answers PING. */
export const redisReady = (port: number) => async (): Promise<boolean> => (await redisRaw(port, 'PING')).startsWith('+PONG');

/** A memcached server answers `version`. */
export const memcachedReady = (port: number) => async (): Promise<boolean> =>
  (await exchange(port, 'version\r\n', (t) => t.includes('\r\n'))).startsWith('VERSION');

/** A Redis Cluster node reports `cluster_state:ok`. */
export const clusterOk = (port: number) => async (): Promise<boolean> => (await redisRaw(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok');
