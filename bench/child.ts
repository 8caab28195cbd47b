import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

/** The repository root (bench/..). */
export const ROOT = join(__dirname, '..');

/** The core the measured processes run on, and the one for everything else. */
export const MEASURED_CORE = 0;
export const HELPER_CORE = 1;

/** True when processes can be pinned: `taskset` exists and there are two cores or more. */
export function canPin(): boolean {
  if (availableParallelism() < 2) return false;
  return spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Pin every thread of process `pid` to `core` (`taskset -a -cp`). Processes
 * start unpinned, so their start-up uses both cores, and are pinned once
 * ready; threads started later inherit the pinning.
 */
export function pin(pid: number, core: number): boolean {
  return spawnSync('taskset', ['-a', '-cp', String(core), String(pid)], { stdio: 'ignore' }).status === 0;
}

/** A bench process driven over IPC: one request, one answer. */
export interface ChildHandle {
  readonly pid: number;
  /** What the child sent with its `ready` message. */
  readonly info: Record<string, unknown>;
  ask<T>(request: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

interface Answer {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/**
 * Start `bench/<script>` (CommonJS through tsx) with an IPC channel and wait for its
 * `ready` message.
 *
 * @example
 * ```ts
 * const server = await startChild('server-process.ts', ['bare']);
 * const { port } = server.info;
 * ```
 */
export function startChild(
  script: string,
  args: string[] = [],
  options: { exposeGc?: boolean; cpuProfileDir?: string; cpuProfileName?: string } = {},
): Promise<ChildHandle> {
  const execArgv = ['--require', 'tsx/cjs', ...(options.exposeGc ? ['--expose-gc'] : [])];
  if (options.cpuProfileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  if (options.cpuProfileDir && options.cpuProfileName) execArgv.push(`--cpu-prof-name=${options.cpuProfileName}`);
  const child = spawn(process.execPath, [...execArgv, join(ROOT, 'bench', script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return new Promise((resolve, reject) => {
    const failed = (why: string) => reject(new Error(`bench/${script} ${args.join(' ')}: ${why}`));
    child.once('error', (error) => failed(error.message));
    child.once('exit', (code, signal) => failed(`exited before ready (${signal ?? code})`));
    child.once('message', (message: { type?: string; info?: Record<string, unknown>; error?: string }) => {
      child.removeAllListeners('exit');
      if (message.type !== 'ready') {
        failed(message.error ?? 'did not start');
        return;
      }
      resolve(handleFor(child, message.info ?? {}, `bench/${script}`));
    });
  });
}

function handleFor(child: ChildProcess, info: Record<string, unknown>, name: string): ChildHandle {
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (message: Answer) => {
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new Error(`${name}: ${message.error}`));
  });
  child.once('exit', (code, signal) => {
    for (const pending of waiting.values()) pending.reject(new Error(`${name} exited (${signal ?? code})`));
    waiting.clear();
  });
  return {
    pid: child.pid!,
    info,
    ask<T>(request: Record<string, unknown>): Promise<T> {
      const id = ++next;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ ...request, id });
      });
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
