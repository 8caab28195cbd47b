/**
 * The bench's in-process rows: server CPU per request of the session lookup
 * alone, with no HTTP around it. `requireWechatSession` is called with a
 * request carrying a valid Bearer header (10 at a time, as the HTTP load
 * does) next to the least hand-written lookup on the same store: a token →
 * value map read (memory), one node-redis `GET` and `JSON.parse` (Redis, and
 * the same with a client-side caching client). Slices alternate between the
 * two; the parent takes medians. Without HTTP's own 130 µs or so per
 * request, what the library adds is measured to a fraction of a µs.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createClient } from 'redis';
import { failStart, serveParent } from './ipc.js';
import { library, LIBRARY_DIR_ENV, memoryAdapter, redisAdapter } from './library.js';

type Call = () => void | Promise<unknown>;
interface Pair {
  ours: Call;
  hand: Call;
  close(): Promise<void>;
}

const OPENID = `oBenchMiddleware${'x'.repeat(12)}`;
const CONCURRENCY = 10;

/** A response that the lookup never uses on success; any error answer stops the run. */
const RESPONSE = {
  statusCode: 200,
  setHeader: () => undefined,
  status() {
    return this;
  },
  json: () => {
    throw new Error('the session lookup answered an error');
  },
  end: () => {
    throw new Error('the session lookup answered an error');
  },
};

function requestWith(authorization: string): Record<string, unknown> {
  return { headers: { host: 'bench', authorization }, rawHeaders: ['Host', 'bench', 'Authorization', authorization], query: {} };
}

async function pairFor(kind: string, redisUrl: string): Promise<Pair> {
  const redis =
    kind === 'memory'
      ? undefined
      : createClient(kind === 'redis' ? { url: redisUrl } : { url: redisUrl, RESP: 3, clientSideCache: { ttl: 0, maxEntries: 10_000 } });
  if (redis) await redis.connect();
  const store = redis ? redisAdapter().redisStore({ client: redis as never, prefix: `mw-${kind}:` }) : memoryAdapter().memoryStore();
  const options = { appId: 'wxbench0123456789', appSecret: 'b'.repeat(32), store, logger: false as const };
  const token = await createSession(options);
  const middleware = library().requireWechatSession(options);
  const header = `Bearer ${token}`;
  const ours: Call = () =>
    new Promise<void>((resolve, reject) => {
      middleware(requestWith(header) as never, RESPONSE as never, (err?: unknown) => (err ? reject(err) : resolve()));
    });

  // The hand-written lookups take the token from the same header, with no checks, and read a plain JSON record under it.
  const tokenOf = (): string => (requestWith(header).headers as { authorization: string }).authorization.slice(7);
  const check = (value: unknown): void => {
    if (typeof value !== 'string' || (JSON.parse(value) as { openid: string }).openid !== OPENID) throw new Error('hand-written lookup missed');
  };
  const record = JSON.stringify({ openid: OPENID, sessionKey: randomBytes(16).toString('base64') });
  if (!redis) {
    const sessions = new Map([[token, record]]);
    return { ours, hand: () => check(sessions.get(tokenOf())), close: async () => undefined };
  }
  const prefix = `mw-hand-${kind}:`;
  await redis.set(prefix + token, record, { EX: 3600 });
  return { ours, hand: () => redis.get(prefix + tokenOf()).then(check), close: () => redis.close() };
}

/** A live session in the store of `options`, made as a login makes it; resolves its token. */
async function createSession(options: { store: unknown; appId: string; appSecret: string }): Promise<string> {
  const dir = process.env[LIBRARY_DIR_ENV];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getContext } = require(dir ? join(dir, 'src/context.js') : '../src/context.js') as typeof import('../src/context.js');
  const session = await getContext(options as never).sessions.create({ openid: OPENID, sessionKey: randomBytes(16).toString('base64') });
  return session.token;
}

/** CPU µs per call over `calls` calls, `CONCURRENCY` under way at a time. */
async function cpuPerCall(call: Call, calls: number): Promise<number> {
  let left = calls;
  const worker = async (): Promise<void> => {
    while (left > 0) {
      left -= 1;
      const pending = call();
      if (pending) await pending;
    }
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

function main(): void {
  const pairs = new Map<string, Pair>();
  serveParent({}, async (request) => {
    const kind = String(request.kind);
    if (request.type === 'close') {
      for (const pair of pairs.values()) await pair.close();
      return null;
    }
    if (request.type !== 'slice') throw new Error(`unknown request ${String(request.type)}`);
    let pair = pairs.get(kind);
    if (!pair) {
      pair = await pairFor(kind, String(request.redisUrl));
      pairs.set(kind, pair);
    }
    const impl = request.impl === 'ours' ? pair.ours : pair.hand;
    return cpuPerCall(impl, Number(request.calls));
  });
}

try {
  main();
} catch (error) {
  failStart(error);
}
