import { makeServerDir, startMemcached, startRedis, startRedisCluster, type ManagedServer, type RedisCluster } from '../support/servers.js';
import { rmSync } from 'node:fs';
import type { Backend, StoreCase } from './store-cases.js';

/** Dedicated servers for one case, so faults never reach servers other tests use. */
export interface FaultBackend {
  backend: Backend;
  /** SIGSTOP every server of the backend. */
  pause(): Promise<void>;
  /** SIGCONT every server. */
  resume(): void;
  /** SIGKILL every server and wait until they are gone. */
  kill(): Promise<void>;
  /** Start every server again on its port (a Cluster waits for `cluster_state:ok`). */
  restart(): Promise<void>;
  /** Kill the servers and remove their files. */
  stop(): Promise<void>;
}

function controls(servers: readonly ManagedServer[], dir: string, cluster?: RedisCluster): Omit<FaultBackend, 'backend'> {
  return {
    pause: async () => {
      await Promise.all(servers.map((s) => s.pause()));
    },
    resume: () => servers.forEach((s) => s.resume()),
    kill: async () => {
      await Promise.all(servers.map((s) => s.stop()));
    },
    restart: async () => {
      await Promise.all(servers.map((s) => s.restart()));
      await cluster?.waitOk(8000);
    },
    stop: async () => {
      await Promise.all(servers.map((s) => s.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Start the servers `uses` names, each on a fresh port. */
export async function startFaultBackend(uses: StoreCase['uses']): Promise<FaultBackend> {
  const dir = makeServerDir();
  const empty: Backend = { redisUrl: '', clusterNodes: [], memcachedServers: [] };
  if (uses === 'redis') {
    const redis = await startRedis(dir);
    return { backend: { ...empty, redisUrl: `redis://${redis.address}` }, ...controls([redis], dir) };
  }
  if (uses === 'cluster') {
    const cluster = await startRedisCluster(dir, 3);
    return { backend: { ...empty, clusterNodes: [...cluster.addresses] }, ...controls(cluster.nodes, dir, cluster) };
  }
  if (uses === 'memcached') {
    const servers = await Promise.all([startMemcached(), startMemcached()]);
    return { backend: { ...empty, memcachedServers: servers.map((s) => s.address) }, ...controls(servers, dir) };
  }
  throw new Error(`no servers to start for ${uses}`);
}
