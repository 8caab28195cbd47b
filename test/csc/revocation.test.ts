import { randomBytes } from 'node:crypto';
import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import { APP_SERVER, standInEnv, startAppProcess, type AppProcess } from '../support/app-process.js';

/**
 * Two app processes whose Redis clients cache sessions in process
 * (client-side caching). A session ended on B — logout, revoke-all, or a
 * new login of the same user — is refused by A from the moment B's answer
 * has arrived, trial after trial, while A keeps hammering it from its cache.
 */

const TRIALS = Number(process.env.WXS_CSC_TRIALS ?? 300);
const KINDS = ['logout', 'revokeAll', 'relogin'] as const;
const report: string[] = [];

const FLEETS = [
  { name: 'one Redis', trials: TRIALS, env: () => ({ WXS_STORE_SERVERS: process.env.REDIS_URL! }) },
  {
    name: 'a 3-master Cluster',
    trials: Math.ceil(TRIALS / 3),
    env: () => ({ WXS_STORE_SERVERS: process.env.REDIS_CLUSTER_NODES!, WXS_STORE: 'redis-cluster' }),
  },
] as const;

/** A's client-side cache hits and misses so far. */
const stats = async (app: AppProcess): Promise<{ hits: number; misses: number }> => (await app.call('GET', '/__stats')).body;

afterAll(() => {
  console.log(report.join('\n'));
});

interface Shot {
  sent: number;
  status: number;
}

/** Requests `token` on A back to back (3 at a time) until `stop()`; records when each was sent and how it was answered. */
function hammer(app: AppProcess, token: string): { shots: Shot[]; stop(): Promise<void> } {
  const shots: Shot[] = [];
  let running = true;
  const loop = async () => {
    while (running) {
      const sent = performance.now();
      const { status } = await app.call('GET', '/api/me', token);
      shots.push({ sent, status });
    }
  };
  const loops = [loop(), loop(), loop()];
  return {
    shots,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

describe.each(FLEETS.map((f) => [f.name, f] as const))('client-side caching, two processes sharing %s', (name, fleet) => {
  let wechat: WechatStandIn;
  let a: AppProcess;
  let b: AppProcess;

  beforeAll(async () => {
    wechat = await startWechatStandIn();
    const env = {
      ...standInEnv(wechat),
      WXS_PREFIX: `csc-${randomBytes(4).toString('hex')}:`,
      WXS_CSC: '1',
      ...fleet.env(),
    };
    [a, b] = await Promise.all([startAppProcess(APP_SERVER, { env }), startAppProcess(APP_SERVER, { env })]);
  }, 45_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await wechat?.close();
  });

  const login = async (app: AppProcess, openid: string): Promise<string> => {
    const res = await app.call('POST', '/wechat/login', undefined, { code: wechat.issueLoginCode({ openid }) });
    expect(res.status).toBe(200);
    return res.body.token as string;
  };

  const end = async (kind: (typeof KINDS)[number], token: string, openid: string): Promise<void> => {
    if (kind === 'logout') expect((await b.call('POST', '/wechat/logout', token)).status).toBe(204);
    if (kind === 'revokeAll') expect((await b.call('POST', '/admin/revoke', undefined, { openid })).body.revoked).toBe(1);
    if (kind === 'relogin') await login(b, openid);
  };

  test(`a session ended on B is refused by A once B has answered (${fleet.trials} trials)`, async () => {
    const before = await stats(a);
    let windowMs = 0;
    let violations = 0;
    let servedFromCache = 0;
    for (let trial = 0; trial < fleet.trials; trial += 1) {
      const openid = `ocsc${randomBytes(6).toString('hex')}`;
      const token = await login(b, openid);
      expect((await a.call('GET', '/api/me', token)).status).toBe(200);
      expect((await a.call('GET', '/api/me', token)).body.openid).toBe(openid);
      const shots = hammer(a, token);
      await new Promise((resolve) => setTimeout(resolve, trial % 4));
      await end(KINDS[trial % KINDS.length]!, token, openid);
      const answered = performance.now();
      const next = await a.call('GET', '/api/me', token);
      await shots.stop();
      servedFromCache += shots.shots.filter((s) => s.sent < answered && s.status === 200).length;
      const late = shots.shots.filter((s) => s.sent >= answered && s.status === 200);
      if (next.status !== 401 || late.length > 0) violations += 1;
      for (const s of late) windowMs = Math.max(windowMs, s.sent - answered);
      if (next.status !== 401)
        throw new Error(
          `trial ${trial} ${KINDS[trial % KINDS.length]}: ${JSON.stringify(next)} late=${late.length} ${JSON.stringify(await stats(a))} ${a.output()} ${b.output()}`,
        );
      expect(next.status).toBe(401);
      expect(next.body.error.code).toBe('WECHAT_SESSION_INVALID');
    }
    const after = await stats(a);
    report.push(
      `${name}: ${fleet.trials} trials (logout, revoke-all, re-login in turn), A answered ${servedFromCache} hammer requests ` +
        `from its cache before B answered; requests sent after B's answer and still accepted: ${violations} trials, largest window ${windowMs.toFixed(2)} ms; ` +
        `A's cache: ${after.hits - before.hits} hits, ${after.misses - before.misses} misses`,
    );
    expect(violations).toBe(0);
    // The trials exercised the cache: most of A's reads were answered from it.
    expect(after.hits - before.hits).toBeGreaterThan(fleet.trials);
  }, 240_000);
});
