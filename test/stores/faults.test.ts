import { STORE_CASES, type StoreCase } from './store-cases.js';
import { startFaultBackend } from './fault-backend.js';

/**
 * Each adapter against its own servers while they stall (SIGSTOP) and die
 * (SIGKILL): no operation may succeed against a dead server or give a false
 * miss, every operation settles once the server is back, and the same store
 * object works again after SIGCONT or a restart on the same port.
 */

const PAUSE_WINDOW_MS = 1500;
const KILL_WINDOW_MS = 600;
const RECOVERY_MS = 8000;

type Outcome = { state: 'pending' } | { state: 'resolved'; value: unknown; ms: number } | { state: 'rejected'; error: string; ms: number };

interface Tracked {
  readonly outcome: Outcome;
  readonly done: Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function track(operation: () => unknown): Tracked {
  const started = Date.now();
  let outcome: Outcome = { state: 'pending' };
  const done = Promise.resolve()
    .then(operation)
    .then(
      (value) => void (outcome = { state: 'resolved', value, ms: Date.now() - started }),
      (err: unknown) => void (outcome = { state: 'rejected', error: (err as Error)?.name ?? String(err), ms: Date.now() - started }),
    );
  return {
    get outcome() {
      return outcome;
    },
    done,
  };
}

async function within(ms: number, what: string, promise: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not settled in ${ms} ms`)), ms)));
  await Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

async function eventually(what: string, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < RECOVERY_MS) {
    if (await check().catch(() => false)) return Date.now() - started;
    await sleep(50);
  }
  throw new Error(`${what}: no recovery within ${RECOVERY_MS} ms`);
}

const describeOutcome = (o: Outcome) => (o.state === 'pending' ? 'pending' : `${o.state} after ${o.ms} ms`);
const report: string[] = [];

afterAll(() => {
  if (process.env.WXS_TEST_VERBOSE) console.log(report.join('\n'));
});

const faultCases = STORE_CASES.filter((c) => c.uses !== 'none').map((c) => [c.name, c] as const);

test.concurrent.each(faultCases)('%s: a stalled or killed server fails operations, then the same store recovers', async (name, storeCase: StoreCase) => {
  const servers = await startFaultBackend(storeCase.uses);
  const handle = await storeCase.open(servers.backend, 'fault:');
  try {
    const { store } = handle;
    await store.set('k', 'before', 60);

    await servers.pause();
    const stalled = track(() => store.get('k'));
    await sleep(PAUSE_WINDOW_MS);
    const duringPause = stalled.outcome;
    expect(duringPause.state).not.toBe('resolved');
    servers.resume();
    await within(5000, 'operation sent during the stall', stalled.done);
    const resumedIn = await eventually('after SIGCONT', async () => (await store.get('k')) === 'before');

    await servers.kill();
    const dead = track(() => store.set('k', 'while-dead', 60));
    await sleep(KILL_WINDOW_MS);
    const duringKill = dead.outcome;
    expect(duringKill.state).not.toBe('resolved');
    await servers.restart();
    const restartedIn = await eventually('after restart', async () => {
      await store.set('k2', 'after', 60);
      return (await store.get('k2')) === 'after';
    });
    await within(5000, 'operation sent while the server was dead', dead.done);

    report.push(
      `${name}: stalled get ${describeOutcome(duringPause)} (then ${describeOutcome(stalled.outcome)}), ` +
        `working ${resumedIn} ms after SIGCONT; set on a killed server ${describeOutcome(duringKill)} ` +
        `(then ${describeOutcome(dead.outcome)}), working ${restartedIn} ms after restart`,
    );
  } finally {
    await handle.close();
    await servers.stop();
  }
});
