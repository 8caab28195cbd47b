import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeServerDir, requireBinary, startMemcached, startRedis, startRedisCluster, stopAll, type ManagedServer, type RedisCluster } from './servers';

/** What global-teardown needs to clean up: the servers' pids and ports, and their directory. */
export interface ServersState {
  dir: string;
  servers: { kind: string; port: number; pid: number }[];
}

export const STATE_ENV = 'WXS_TEST_SERVERS_STATE';

/**
 * Jest globalSetup: one plain Redis, a 3-master Redis Cluster and two
 * memcached servers for the whole run. Test files read their addresses from
 * REDIS_URL, REDIS_CLUSTER_NODES and MEMCACHED_SERVERS.
 * (Relative imports here have no extension: Jest loads this file outside its module mapper.)
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  ['redis-server', 'redis-cli', 'memcached'].forEach(requireBinary); // fail fast, before starting anything
  const dir = makeServerDir();
  const results = await Promise.allSettled([startRedis(dir), startRedisCluster(dir, 3), startMemcached(), startMemcached()] as const);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await stopAll(dir);
    throw failed.reason;
  }
  const [redis, cluster, mc1, mc2] = results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
    ManagedServer,
    RedisCluster,
    ManagedServer,
    ManagedServer,
  ];
  const all: ManagedServer[] = [redis, ...cluster.nodes, mc1, mc2];
  const state: ServersState = { dir, servers: all.map((s) => ({ kind: s.kind, port: s.port, pid: s.pid })) };
  const stateFile = join(dir, 'servers.json');
  writeFileSync(stateFile, JSON.stringify(state));
  process.env[STATE_ENV] = stateFile;
  process.env.REDIS_URL = `redis://${redis.address}`;
  process.env.REDIS_CLUSTER_NODES = cluster.addresses.join(',');
  process.env.MEMCACHED_SERVERS = [mc1.address, mc2.address].join(',');
  if (process.env.WXS_TEST_VERBOSE) {
    console.log(
      `\nstore servers ready in ${Date.now() - started} ms: redis ${redis.address}, cluster ${process.env.REDIS_CLUSTER_NODES}, memcached ${process.env.MEMCACHED_SERVERS}`,
    );
  }
}
