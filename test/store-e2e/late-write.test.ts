import { startWechatStandIn, type WechatStandIn } from '../../src/testing/index.js';
import type { Backend } from '../stores/store-cases.js';
import { startFaultBackend, type FaultBackend } from '../stores/fault-backend.js';
import { startHarness, type Harness } from '../support/harness.js';
import { FAULT_CASES, type FaultCase } from './fault-cases.js';
import { isMemcachedWrite, isRedisSet, startHoldingProxy, type HoldingProxy } from './holding-proxy.js';

/**
 * A renewal write that the library gave up on (it timed out on the wire)
 * reaches the server only after another process logged the session out. It
 * must not bring the session back: renewals overwrite an existing key only.
 * Process A reaches the server through a proxy that holds its writes;
 * process B reaches it directly.
 */

const STORE_TIMEOUT = 300;
const TTL = 600;
const RENEW_AFTER = 60;

const MEMJS = FAULT_CASES.find((c) => c.uses === 'memcached')!;
const cases: readonly [string, FaultCase, (chunk: Buffer) => boolean][] = [
  [FAULT_CASES[0]!.name, FAULT_CASES[0]!, isRedisSet],
  [MEMJS.name, MEMJS, isMemcachedWrite],
];

function throughProxies(backend: Backend, proxies: readonly HoldingProxy[], direct: readonly string[]): Backend {
  const via = (address: string) => proxies[direct.indexOf(address)]!.address;
  return {
    redisUrl: backend.redisUrl && `redis://${via(backend.redisUrl.slice('redis://'.length))}`,
    clusterNodes: backend.clusterNodes.map(via),
    memcachedServers: backend.memcachedServers.map(via),
  };
}

test.each(cases)('%s: a late renewal write does not bring back a session logged out meanwhile', async (_name, faultCase, isWrite) => {
  const servers: FaultBackend = await startFaultBackend(faultCase.uses);
  const direct = servers.backend.redisUrl ? [servers.backend.redisUrl.slice('redis://'.length)] : servers.backend.memcachedServers;
  const proxies = await Promise.all(direct.map(startHoldingProxy));
  const [viaProxy, straight] = await Promise.all([faultCase.open(throughProxies(servers.backend, proxies, direct)), faultCase.open(servers.backend)]);
  const wechat: WechatStandIn = await startWechatStandIn();
  const clock = { ms: Date.now() };
  const common = { ttl: TTL, renewAfter: RENEW_AFTER, storeTimeout: STORE_TIMEOUT, now: () => clock.ms };
  const [a, b]: Harness[] = await Promise.all([
    startHarness({ ...common, store: viaProxy.store }, wechat),
    startHarness({ ...common, store: straight.store }, wechat),
  ]);
  try {
    const { token } = await b.login();
    expect((await a.get('/api/me', token)).status).toBe(200);
    clock.ms += RENEW_AFTER * 1000; // the next resolve renews

    proxies.forEach((p) => p.holdWhen(isWrite));
    const onA = await a.get('/api/me', token);
    expect(onA.status).toBe(200); // a failed renewal does not fail the request…
    expect(proxies.reduce((n, p) => n + p.held, 0)).toBeGreaterThanOrEqual(1);
    expect(a.logs.filter((line) => line.includes('session.renew_failed'))).toHaveLength(1); // …it was given up on

    expect((await b.post('/api/logout', {}, token)).status).toBe(204);
    expect((await b.get('/api/me', token)).status).toBe(401);

    proxies.forEach((p) => p.release()); // the held renewal reaches the server now
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const app of [b, a]) {
      const res = await app.get('/api/me', token);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('WECHAT_SESSION_INVALID');
    }
  } finally {
    await Promise.all([a.close(), b.close()]);
    await wechat.close();
    await Promise.all([viaProxy.close(), straight.close()]);
    await Promise.all(proxies.map((p) => p.close()));
    await servers.stop();
  }
});
