// Relative imports without extension: Jest's globalSetup loads this file outside its module mapper.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './ports';
import { clusterOk, memcachedReady, redisRaw, redisReady, waitUntil } from './probes';

/**
 * Real store servers for tests: `redis-server` (plain or Cluster node) and
 * `memcached`, each on a free port of 127.0.0.1 with its files in a temp
 * directory. Every server can be paused (SIGSTOP), resumed (SIGCONT),
 * killed and restarted on the same port to inject faults.
 */

export type ServerKind = 'redis' | 'redis-cluster-node' | 'memcached';

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 5000;
const LIVE = Symbol.for('express-wechat-session.test.live-servers');
const holder = process as unknown as { [LIVE]?: Set<ManagedServer> };
const firstLoad = holder[LIVE] === undefined;
const live: Set<ManagedServer> = (holder[LIVE] ??= new Set<ManagedServer>());

/** Absolute path of `name` on PATH, or a clear error telling how to install it. */
export function requireBinary(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${name} not found on PATH: run scripts/install-services.sh (apt-get install redis-server memcached)`);
}

/** A fresh temp directory for server files. */
export function makeServerDir(): string {
  return mkdtempSync(join(tmpdir(), 'wxs-servers-'));
}

/** Whether every thread of `pid` is in the stopped state (T), per /proc. */
function allThreadsStopped(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/task`).every((tid) => {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'T';
    });
  } catch {
    return true;
  }
}

/** One server process that can be paused, resumed, killed and restarted on its port. */
export class ManagedServer {
  readonly host = HOST;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly kind: ServerKind,
    readonly port: number,
    private readonly command: string,
    private readonly args: readonly string[],
    private readonly ready: () => Promise<boolean>,
  ) {}

  /** `127.0.0.1:port`. */
  get address(): string {
    return `${HOST}:${this.port}`;
  }

  /** The current process id (changes on restart). */
  get pid(): number {
    const pid = this.child?.pid;
    if (pid === undefined) throw new Error(`${this.kind} on ${this.port} is not running`);
    return pid;
  }

  /** Start the process and wait until it answers. */
  async start(): Promise<void> {
    let stderr = '';
    const child = spawn(this.command, this.args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    this.child = child;
    live.add(this);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => this.child === child && live.delete(this));
    let gone = false;
    void this.exited.then(() => (gone = true));
    try {
      await waitUntil(
        `${this.kind} on port ${this.port}`,
        async () => {
          if (gone) throw new Error(`${this.kind} exited at start: ${stderr.trim() || 'see its log'}`);
          return this.ready();
        },
        READY_TIMEOUT_MS,
        10,
      );
    } catch (error) {
      await this.stop();
      throw gone ? new Error(`${this.kind} on port ${this.port} exited at start: ${stderr.trim()}`) : error;
    }
  }

  /**
   * SIGSTOP: the process keeps its sockets but answers nothing. Resolves once
   * every thread of it has stopped (the signal alone returns earlier, and a
   * request sent at once could still be answered).
   */
  async pause(): Promise<void> {
    this.signal('SIGSTOP');
    const pid = this.child?.pid;
    if (pid === undefined) return;
    await waitUntil(`${this.kind} on port ${this.port} stopped`, async () => allThreadsStopped(pid), 1000, 5).catch(() => undefined);
  }

  /** SIGCONT after {@link pause}. */
  resume(): void {
    this.signal('SIGCONT');
  }

  /** Kill the process (SIGKILL) and wait until it is gone. */
  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.signal('SIGKILL');
    }
    await this.exited;
    live.delete(this);
  }

  /** Kill it if running, then start it again on the same port with the same files. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private signal(name: NodeJS.Signals): void {
    this.child?.kill(name);
  }
}

async function startOnFreePort(make: (port: number) => ManagedServer, busOffset?: number): Promise<ManagedServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const server = make(await freePort({ busOffset }));
    try {
      await server.start();
      return server;
    } catch (error) {
      lastError = error; // most likely the port was taken meanwhile: try another
    }
  }
  throw lastError;
}

function redisArgs(port: number, dir: string, extra: readonly string[]): string[] {
  return ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', join(dir, `redis-${port}.log`), ...extra];
}

/** Start a plain `redis-server` on a free port. */
export function startRedis(dir: string): Promise<ManagedServer> {
  const bin = requireBinary('redis-server');
  return startOnFreePort((port) => new ManagedServer('redis', port, bin, redisArgs(port, dir, []), redisReady(port)));
}

/** Start a `memcached` on a free port (UDP off). */
export function startMemcached(): Promise<ManagedServer> {
  const bin = requireBinary('memcached');
  const asRoot = process.getuid?.() === 0 ? ['-u', userInfo().username] : [];
  return startOnFreePort(
    (port) => new ManagedServer('memcached', port, bin, ['-l', HOST, '-p', String(port), '-U', '0', '-m', '64', ...asRoot], memcachedReady(port)),
  );
}

/** A Redis Cluster of masters without replicas. */
export interface RedisCluster {
  readonly nodes: readonly ManagedServer[];
  /** `host:port` of every node. */
  readonly addresses: readonly string[];
  /** Wait until every node reports `cluster_state:ok` (after a restart, for instance). */
  waitOk(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

// A short node timeout makes the nodes gossip often, so `redis-cli --cluster create` sees the
// join after its first 1 s wait (about 1 s in all instead of 2-3 s); it is raised once joined.
const JOIN_NODE_TIMEOUT_MS = '500';
const RUN_NODE_TIMEOUT_MS = '3000';

function startClusterNode(dir: string): Promise<ManagedServer> {
  const bin = requireBinary('redis-server');
  return startOnFreePort(
    (port) =>
      new ManagedServer(
        'redis-cluster-node',
        port,
        bin,
        redisArgs(port, dir, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          JOIN_NODE_TIMEOUT_MS,
        ]),
        redisReady(port),
      ),
    10000,
  );
}

function runQuiet(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed (${code}): ${output.slice(-1000)}`))));
  });
}

/**
 * Start `count` cluster-enabled `redis-server`s and join them with
 * `redis-cli --cluster create` (masters only), then wait for `cluster_state:ok`.
 */
export async function startRedisCluster(dir: string, count = 3): Promise<RedisCluster> {
  const cli = requireBinary('redis-cli');
  const nodes = await Promise.all(Array.from({ length: count }, () => startClusterNode(dir)));
  const cluster: RedisCluster = {
    nodes,
    addresses: nodes.map((n) => n.address),
    async waitOk(timeoutMs = 5000) {
      await Promise.all(nodes.map((n) => waitUntil(`cluster_state:ok on ${n.port}`, clusterOk(n.port), timeoutMs, 25)));
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
  try {
    await runQuiet(cli, ['--cluster', 'create', ...cluster.addresses, '--cluster-replicas', '0', '--cluster-yes']);
    await cluster.waitOk();
    await Promise.all(nodes.map((n) => redisRaw(n.port, 'CONFIG', 'SET', 'cluster-node-timeout', RUN_NODE_TIMEOUT_MS)));
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/** Kill every server this process started and remove `dir` (for afterAll hooks). */
export async function stopAll(dir?: string): Promise<void> {
  await Promise.all([...live].map((s) => s.stop()));
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** Last resort when a test process exits without its afterAll: leave no server behind. */
function killLeftovers(): void {
  for (const server of live) {
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

if (firstLoad) process.once('exit', killLeftovers);
