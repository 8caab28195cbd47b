/**
 * The faults a soak injects into WeChat and the stores, and the error
 * table: which answers each fault explains.
 */
import { redisRaw } from '../test/support/probes.js';
import type { ManagedServer } from '../test/support/servers.js';
import type { Operation } from './config.js';

/** The WeChat stand-in (./standin.ts, in a process of its own), driven through its `/__standin/` control endpoints. */
export type StandIn = <T = { code: string }>(name: string, body?: object) => Promise<T>;

export function standIn(url: string): StandIn {
  return async (name, body = {}) => {
    const res = await fetch(`${url}/__standin/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`stand-in ${name}: ${res.status} ${await res.text()}`);
    return res.json() as never;
  };
}

export type StoreName = 'redis' | 'memcached';

export type FaultKind = 'wechat-busy' | 'wechat-slow' | 'wechat-garbage' | 'wechat-hang' | 'store-stall' | 'store-drop' | 'store-restart';

/** One fault as it happened: from when until when (ms, performance.now(); no `end` while it lasts). */
export type FaultWindow = { kind: FaultKind; store?: StoreName; start: number; end?: number };

/**
 * One answer as the traffic saw it: sent and answered (performance.now()),
 * status (0: no answer, a hang), error code, and whether the session was
 * issued before its store lost its data (a killed server: a 401 is then expected).
 */
export type Answer = { op: Operation; store: StoreName; sent: number; answered: number; status: number; code?: string; sessionLostByStore: boolean };

/** One cycle of the schedule; a long run repeats it. */
export const CYCLE: readonly { kind: FaultKind; store?: StoreName }[] = [
  { kind: 'wechat-busy' },
  { kind: 'store-stall', store: 'redis' },
  { kind: 'wechat-slow' },
  { kind: 'store-stall', store: 'memcached' },
  { kind: 'wechat-garbage' },
  { kind: 'store-drop', store: 'redis' },
  { kind: 'wechat-hang' },
  { kind: 'store-restart', store: 'memcached' },
  { kind: 'store-restart', store: 'redis' },
];

/** After a fault ends, how long its effects may still show (reconnections, answers in flight), ms. */
export function graceMs(kind: FaultKind): number {
  if (kind === 'store-restart') return 3000;
  return kind.startsWith('store') ? 1500 : 500;
}

/** What faults go into; `onDataLost` is called when a store lost its data (sessions issued before are gone by design). */
export interface FaultTargets {
  wechat: StandIn;
  servers: Record<StoreName, ManagedServer>;
  onDataLost(store: StoreName): void;
}

/** Start a fault; resolves a function that ends it. A `slow` WeChat answers within the library's timeout. */
export async function inject(kind: FaultKind, store: StoreName | undefined, targets: FaultTargets): Promise<() => Promise<void>> {
  const { wechat } = targets;
  if (kind.startsWith('wechat')) {
    const mode = kind.slice('wechat-'.length) as 'busy' | 'slow' | 'garbage' | 'hang';
    await wechat('fail', { mode, delayMs: 400 }); // `delayMs` is for `slow` only
    return async () => void (await wechat('heal'));
  }
  const server = targets.servers[store!];
  if (kind === 'store-stall') {
    server.pause();
    return async () => server.resume();
  }
  if (kind === 'store-drop') {
    await redisRaw(server.port, 'CLIENT', 'KILL', 'TYPE', 'normal');
    return async () => undefined;
  }
  await server.stop();
  targets.onDataLost(store!);
  return () => server.start();
}

const WECHAT_OPS: ReadonlySet<Operation> = new Set(['login', 'phoneCode']);

/** The `status code` answers `fault` explains for `op` on `store`; anything else but a 2xx is outside the table. */
function explained(fault: FaultWindow, op: Operation, store: StoreName): string | undefined {
  if (fault.kind === 'wechat-busy' || fault.kind === 'wechat-garbage') return WECHAT_OPS.has(op) ? '502 WECHAT_UPSTREAM_ERROR' : undefined;
  if (fault.kind === 'wechat-hang') return WECHAT_OPS.has(op) ? '504 WECHAT_UPSTREAM_TIMEOUT' : undefined;
  if (fault.kind === 'wechat-slow') return undefined; // slower than usual, but within every timeout: only successes
  return fault.store === store ? '503 WECHAT_STORE_UNAVAILABLE' : undefined;
}

/** Faults whose window (grace included) overlaps the time the request was out. */
export function faultsDuring(answer: Answer, faults: readonly FaultWindow[]): FaultWindow[] {
  return faults.filter((f) => f.start <= answer.answered && (f.end === undefined ? Infinity : f.end + graceMs(f.kind)) >= answer.sent);
}

/** Whether the answer is a success, or an error the table explains for the faults active while it was out. */
export function withinTable(answer: Answer, faults: readonly FaultWindow[]): boolean {
  if (answer.status >= 200 && answer.status < 300) return true;
  if (answer.status === 401 && answer.code === 'WECHAT_SESSION_INVALID' && answer.sessionLostByStore && answer.op !== 'login') return true;
  const key = `${answer.status} ${answer.code}`;
  return faultsDuring(answer, faults).some((f) => explained(f, answer.op, answer.store) === key);
}
