import { redisRaw } from '../test/support/probes.js';
import type { ManagedServer } from '../test/support/servers.js';
import type { StandInControl } from './standin-client.js';

/** The stores under soak. */
export type StoreName = 'redis' | 'memcached';

export type FaultKind =
  | 'wechat-busy'
  | 'wechat-slow'
  | 'wechat-garbage'
  | 'wechat-hang'
  | 'store-stall'
  | 'store-drop'
  | 'store-restart';

/** One fault as it happened: what, where, from when until when (ms, performance.now()). */
export interface FaultWindow {
  kind: FaultKind;
  store?: StoreName;
  start: number;
  /** Undefined while the fault lasts. */
  end?: number;
}

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
  if (kind.startsWith('store')) return 1500;
  return 500;
}

/** A `slow` WeChat answers after this long: within the library's timeout. */
export const SLOW_WECHAT_MS = 400;

/** What faults are injected into. */
export interface FaultTargets {
  wechat: StandInControl;
  servers: Record<StoreName, ManagedServer>;
  /** Called when a store lost its data (killed): sessions issued before are gone by design. */
  onDataLost(store: StoreName): void;
}

/** Start a fault; resolves a function that ends it. */
export async function inject(kind: FaultKind, store: StoreName | undefined, targets: FaultTargets): Promise<() => Promise<void>> {
  const { wechat, servers } = targets;
  const heal = () => wechat.heal();
  switch (kind) {
    case 'wechat-busy':
      await wechat.fail('busy');
      return heal;
    case 'wechat-slow':
      await wechat.fail('slow', SLOW_WECHAT_MS);
      return heal;
    case 'wechat-garbage':
      await wechat.fail('garbage');
      return heal;
    case 'wechat-hang':
      await wechat.fail('hang');
      return heal;
    case 'store-stall': {
      const server = servers[store!];
      server.pause();
      return async () => server.resume();
    }
    case 'store-drop':
      await redisRaw(servers[store!].port, 'CLIENT', 'KILL', 'TYPE', 'normal');
      return async () => undefined;
    case 'store-restart': {
      const server = servers[store!];
      await server.stop();
      targets.onDataLost(store!);
      return () => server.start();
    }
  }
}
