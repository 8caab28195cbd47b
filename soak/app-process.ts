import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { MemoryBoundResult, ServerMessage, ServerSetup } from './protocol.js';

/** The app under soak, in its own process. */
export interface AppProcess {
  url: string;
  /** Heap after GC, with the app's event and log-line counts. */
  heap(): Promise<Extract<ServerMessage, { type: 'heap' }>>;
  memoryBound(): Promise<MemoryBoundResult>;
  stop(): Promise<void>;
}

function next<T extends ServerMessage['type']>(child: ChildProcess, type: T): Promise<Extract<ServerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ServerMessage) => {
      if (message.type === 'failed') done(new Error(`soak app failed: ${message.message}`));
      else if (message.type === type) done(undefined, message as Extract<ServerMessage, { type: T }>);
    };
    const onExit = (code: number | null) => done(new Error(`soak app exited (${code}) before '${type}'`));
    const done = (err?: Error, value?: Extract<ServerMessage, { type: T }>) => {
      child.off('message', onMessage).off('exit', onExit);
      if (err) reject(err);
      else resolve(value!);
    };
    child.on('message', onMessage).on('exit', onExit);
  });
}

/**
 * Fork ./server.ts with --expose-gc (TypeScript through tsx) and wait until it listens.
 *
 * @example
 * ```ts
 * const app = await startAppProcess(setup);
 * const { bytes } = await app.heap();
 * ```
 */
export async function startAppProcess(setup: ServerSetup): Promise<AppProcess> {
  const child = fork(join(__dirname, 'server.ts'), [], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: { ...process.env, SOAK_SERVER: JSON.stringify(setup) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await next(child, 'ready');
  const ask = <T extends 'heap' | 'memory-bound'>(type: T) => {
    const answer = next(child, type);
    child.send({ type });
    return answer;
  };
  return {
    url: `http://127.0.0.1:${ready.port}`,
    heap: () => ask('heap'),
    memoryBound: async () => (await ask('memory-bound')).result,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
