import { memoryStore } from '../adapters/memory.js';
import { redisStore } from '../adapters/redis.js';
import { requireWechatSession } from '../src/middleware/require-session.js';
import { getContext } from '../src/context.js';
import { createClient } from 'redis';

async function main() {
  const kind = process.argv[2] ?? 'memory';
  const N = Number(process.argv[3] ?? 200000);
  let store;
  if (kind === 'memory' || kind === 'noop') store = memoryStore();
  else {
    const client = kind === 'csc' ? createClient({ url: 'redis://127.0.0.1:46379', RESP: 3, clientSideCache: { maxEntries: 1000 } }) : createClient({ url: 'redis://127.0.0.1:46379' });
    await client.connect();
    store = redisStore({ client: client as never });
  }
  const options = { appId: 'wx1234567890', appSecret: 'secret', store };
  const mw = kind === 'noop' ? ((req: any, _res: any, next: any) => { req.wechat = 1; next(); }) as any : requireWechatSession(options);
  const ctx = getContext(options);
  const s = await ctx.sessions.create({ openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M', sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==' });
  const auth = 'Bearer ' + s.token;
  const res = {} as never;
  const conc = Number(process.argv[4] ?? 1);
  const one = () => new Promise<void>((resolve, reject) => {
    const req = { headers: { authorization: auth, host: 'x' }, rawHeaders: ['Host', 'x', 'Authorization', auth] } as any;
    mw(req, res, (err?: unknown) => (err ? reject(err) : req.wechat ? resolve() : reject(new Error('no session'))));
  });
  const run = async (n: number) => { for (let i = 0; i < n; i += conc) await Promise.all(Array.from({ length: conc }, one)); };
  await run(20000);
  for (let r = 0; r < 3; r++) {
    const c0 = process.cpuUsage(); const t0 = performance.now();
    await run(N);
    const c = process.cpuUsage(c0); const t = performance.now() - t0;
    console.log(`${kind}: ${(t * 1000 / N).toFixed(2)} µs wall/op, ${((c.user + c.system) / N).toFixed(2)} µs cpu/op`);
  }
  process.exit(0);
}
main();
