/**
 * `npm run bench`: starts redis-server and the WeChat stand-in, one server
 * process per app (bench/server.ts), and measures every row against bare
 * Express in the same process; prints a Markdown table (progress on
 * stderr). Method and settings: bench/README.md.
 */
import { execFileSync, fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startWechatStandIn, type WechatStandIn } from 'express-wechat-session/testing';
import { createClient } from 'redis';
import type { AppEnv, Load } from './apps.js';

/** A row of the table: an app of bench/apps.ts, its floor against bare Express, and one other row it is compared with. */
interface Row {
  app: string;
  label: string;
  floor?: number;
  against?: { app: string; floor?: number };
}

const ROWS: readonly Row[] = [
  { app: 'bare', label: 'bare Express (control: against its twin)' },
  { app: 'memory', label: 'requireWechatSession, memory store', floor: 0.89, against: { app: 'wafer', floor: 1.05 } },
  { app: 'redis', label: 'requireWechatSession, Redis (node-redis)', floor: 0.77, against: { app: 'express-session', floor: 1.2 } },
  { app: 'ioredis', label: 'requireWechatSession, Redis (ioredis)', floor: 0.77, against: { app: 'express-session', floor: 1.2 } },
  { app: 'redis-csc', label: 'requireWechatSession, Redis + client-side cache', floor: 0.88 },
  { app: 'express-session', label: 'express-session + connect-redis' },
  { app: 'wafer', label: 'wafer-node-session (MemoryStore)' },
  { app: 'login', label: 'wechatLogin (stand-in, memory store)', against: { app: 'login-hand' } },
  { app: 'login-hand', label: 'hand-written login' },
  { app: 'phone', label: 'decryptPhone (legacy body)', against: { app: 'phone-hand', floor: 0.86 } },
  { app: 'phone-hand', label: 'hand-written decrypt route' },
];

const ROOT = join(__dirname, '..');

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!(value >= 0)) throw new TypeError(`${name} must be a number ≥ 0; got '${raw}'`);
  return value;
}

const SETTINGS = {
  rounds: Math.max(1, Math.round(setting('BENCH_ROUNDS', 10))),
  seconds: setting('BENCH_SECONDS', 1),
  warmup: setting('BENCH_WARMUP', 2),
  connections: Math.max(1, Math.round(setting('BENCH_CONNECTIONS', 10))),
  only: process.env.BENCH_ONLY?.split(',').filter(Boolean),
  pin: process.env.BENCH_PIN !== '0' && availableParallelism() >= 2 && spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0,
};

const began = Date.now();
const log = (line: string) => void process.stderr.write(`[bench ${String(Math.round((Date.now() - began) / 1000)).padStart(3)} s] ${line}\n`);
const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

/** Pin every thread of `pid` to `core` (servers on 0; this process and redis-server on 1). */
const pin = (pid: number, core: number) => SETTINGS.pin && spawnSync('taskset', ['-a', '-cp', String(core), String(pid)], { stdio: 'ignore' });

/** Build the package when dist/ is missing or older than a source file. */
function buildIfStale(): void {
  const built = join(ROOT, 'dist', 'cjs', 'src', 'index.js');
  const newest = ['src', 'adapters'].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).map((f) => statSync(join(ROOT, dir, f)).mtimeMs),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...newest)) return;
  log('dist/ is missing or stale: npm run build');
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** redis-server on a free loopback port, without persistence; resolves its URL and version once it answers. */
async function startRedis(): Promise<{ url: string; version: string }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  child.once('error', (error) => {
    console.error(`redis-server: ${error.message} (bash scripts/install-services.sh installs it)`);
    process.exit(1);
  });
  children.push(child);
  pin(child.pid!, 1);
  const url = `redis://127.0.0.1:${port}`;
  const client = createClient({ url, socket: { reconnectStrategy: (tries) => (tries > 50 ? new Error('redis-server did not start') : 100) } });
  client.on('error', () => undefined);
  await client.connect();
  const version = /redis_version:(\S+)/.exec(await client.info('server'))?.[1] ?? '?';
  await client.close();
  return { url, version };
}

interface Server {
  app: string;
  child: ChildProcess;
  base: string;
  load: Load;
  twin: Load;
}

function next<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`server exited (${code})`));
    child.once('exit', exited).once('message', (message: T & { failed?: string }) => {
      child.off('exit', exited);
      if (message.failed) reject(new Error(message.failed));
      else resolve(message);
    });
  });
}

/** Start bench/server.ts for `app`, with its own stand-in user (a shared Redis must not see one app's login end another's session). */
async function startServer(app: string, redisUrl: string, wechat: WechatStandIn): Promise<Server> {
  const openid = `oBench-${app}`;
  const code = wechat.issueLoginCode({ openid });
  const user = { openid, code, sessionKey: wechat.sessionKeyOf(openid)!, ...wechat.encryptPhone(openid, '13800138000') };
  const env: AppEnv = { redisUrl, wechat: { url: wechat.url, appId: wechat.appId, appSecret: wechat.appSecret }, user };
  const child = fork(join(__dirname, 'server.ts'), [app], {
    execArgv: ['--require', 'tsx/cjs'],
    env: { ...process.env, NODE_ENV: 'production', BENCH_ENV: JSON.stringify(env) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const ready = await next<{ base: string; load: Load; twin: Load }>(child).catch((error: Error) => {
    throw new Error(`${app}: ${error.message}`);
  });
  pin(child.pid!, 0);
  return { app, child, ...ready };
}

/** One load run: the server's CPU time (µs) and the requests it received, and the load generator's count. */
async function run(
  server: Server,
  load: Load,
  seconds: number,
  wechat: WechatStandIn,
): Promise<{ cpuMicros: number; served: number; seconds: number; bad: number }> {
  const { method, path, headers, body, freshCodes } = load;
  const request: autocannon.Request = { method, path, headers: { ...headers, ...((body ?? freshCodes) ? { 'content-type': 'application/json' } : {}) } };
  if (body !== undefined) request.body = body;
  if (freshCodes) request.setupRequest = (r) => ({ ...r, body: JSON.stringify({ code: wechat.issueLoginCode() }) });
  const cpu = () => (server.child.send('cpu'), next<{ cpuMicros: number; served: number }>(server.child));
  const before = await cpu();
  const result = await autocannon({ url: server.base, connections: SETTINGS.connections, duration: seconds, sampleInt: 100, requests: [request] });
  await new Promise((resolve) => setTimeout(resolve, 20)); // the last answers leave
  const after = await cpu();
  return {
    cpuMicros: after.cpuMicros - before.cpuMicros,
    served: after.served - before.served,
    seconds: result.duration,
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

interface Measured {
  /** Per pair: the twin's CPU per request ÷ the app's (requests per CPU-second relative to bare Express). */
  pairs: number[];
  cpu: number[];
  rps: number[];
  bad: number;
}

const median = (values: readonly number[]): number => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Warm every server up, then rounds: each app in turn (a rotated order each
 * round) runs a pair, after a short re-warm of both requests. A pair is
 * four runs of half `BENCH_SECONDS`, app–twin–twin–app (twin–app–app–twin
 * in odd rounds), so that a machine speeding up or slowing down during the
 * pair weighs on both sides alike.
 */
async function measure(servers: Server[], wechat: WechatStandIn): Promise<Map<string, Measured>> {
  const results = new Map(servers.map((s) => [s.app, { pairs: [], cpu: [], rps: [], bad: 0 } as Measured]));
  for (const s of servers) for (const load of [s.load, s.twin]) await run(s, load, SETTINGS.warmup, wechat);
  const rewarm = Math.min(0.3, SETTINGS.seconds);
  for (let round = 0; round < SETTINGS.rounds; round += 1) {
    const order = [...servers.slice(round % servers.length), ...servers.slice(0, round % servers.length)];
    for (const s of order) {
      await run(s, s.load, rewarm, wechat);
      await run(s, s.twin, rewarm, wechat);
      const sides = { own: { cpuMicros: 0, served: 0, seconds: 0 }, twin: { cpuMicros: 0, served: 0, seconds: 0 } };
      const m = results.get(s.app)!;
      for (const side of round % 2 === 1 ? (['twin', 'own', 'own', 'twin'] as const) : (['own', 'twin', 'twin', 'own'] as const)) {
        const r = await run(s, side === 'own' ? s.load : s.twin, SETTINGS.seconds / 2, wechat);
        for (const key of ['cpuMicros', 'served', 'seconds'] as const) sides[side][key] += r[key];
        m.bad += r.bad;
      }
      const cpuPerRequest = (side: typeof sides.own) => side.cpuMicros / side.served;
      m.pairs.push(cpuPerRequest(sides.twin) / cpuPerRequest(sides.own));
      m.cpu.push(cpuPerRequest(sides.own));
      m.rps.push(sides.own.served / sides.own.seconds);
    }
    log(`round ${round + 1}/${SETTINGS.rounds}`);
  }
  return results;
}

const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a');
const floorMark = (x: number, floor: number, of: string) => `≥ ${floor}× ${of}: ${!Number.isFinite(x) ? 'not measured' : x >= floor ? 'met' : 'MISSED'}`;

function table(rows: readonly Row[], results: Map<string, Measured>): string {
  const lines = [
    '| row | req/s | CPU µs/req | × bare (median of pairs) | pairs min–max | compared | floors (for reference) |',
    '|---|--:|--:|--:|--:|---|---|',
  ];
  const labelOf = (app: string) => ROWS.find((r) => r.app === app)?.label ?? app;
  for (const row of rows) {
    const m = results.get(row.app);
    if (!m) continue;
    const ratio = median(m.pairs);
    const other = row.against && results.get(row.against.app);
    const versus = other ? ratio / median(other.pairs) : Number.NaN;
    const floors = [
      ...(row.floor ? [floorMark(ratio, row.floor, 'bare')] : []),
      ...(row.against?.floor ? [floorMark(versus, row.against.floor, labelOf(row.against.app))] : []),
    ];
    const bad = m.bad > 0 ? ` (${m.bad} non-2xx/errors)` : '';
    lines.push(
      `| ${row.label} | ${Math.round(median(m.rps))}${bad} | ${median(m.cpu).toFixed(1)} | ${times(ratio)} | ` +
        `${times(Math.min(...m.pairs))}–${times(Math.max(...m.pairs))} | ${row.against ? `${times(versus)} ${labelOf(row.against.app)}` : '—'} | ${floors.join('; ') || '—'} |`,
    );
  }
  return lines.join('\n');
}

function version(pkg: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
  buildIfStale();
  pin(process.pid, 1);
  const rows = ROWS.filter((r) => !SETTINGS.only || r.app === 'bare' || SETTINGS.only.includes(r.app));
  const redis = await startRedis();
  const wechat = await startWechatStandIn({ codeTtlSeconds: 3600 });
  try {
    log(`redis-server ${redis.version} at ${redis.url}, stand-in at ${wechat.url}; starting ${rows.length} server processes`);
    const servers = await Promise.all(rows.map((r) => startServer(r.app, redis.url, wechat)));
    const results = await measure(servers, wechat);
    const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    process.stdout.write(
      [
        `### express-wechat-session ${own.version}, ${new Date().toISOString().slice(0, 10)}`,
        '',
        `${cpus().length} × ${cpus()[0]?.model.trim()}; Node ${process.versions.node}; Express ${version('express')}; redis-server ${redis.version}; ` +
          `node-redis ${version('redis')}; express-session ${version('express-session')}; connect-redis ${version('connect-redis')}; ` +
          `wafer-node-session ${version('wafer-node-session')}; autocannon ${version('autocannon')}. ` +
          `${SETTINGS.rounds} pairs of ${SETTINGS.seconds} s runs per row, ${SETTINGS.connections} connections, ` +
          (SETTINGS.pin ? 'servers pinned to core 0, load generator and redis-server to core 1.' : 'not pinned.'),
        '',
        table(rows, results),
        '',
        `× bare: the median over the pairs of (the bare twin's CPU µs per request ÷ the row's), in the row's own process; ` +
          `the control row's min–max is the noise of the method. compared: the quotient of the two rows' × bare.`,
        '',
      ].join('\n'),
    );
    log('done');
  } finally {
    await wechat.close();
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
