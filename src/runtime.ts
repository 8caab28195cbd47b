import { createEmitter, type Emit, type WechatEventHandlers } from './events.js';
import { describeError, libraryLogger, type WechatLogger } from './log.js';
import { GuardedStore } from './session/guarded-store.js';
import type { WechatStore } from './store.js';

/** What a context, or a client on its own, runs with: its logger, its event emitter and its store behind the guard. */
export interface Runtime<S extends GuardedStore | undefined = GuardedStore | undefined> {
  log: WechatLogger;
  emit: Emit;
  store: S;
}

interface RuntimeSettings {
  logger: WechatLogger | false | undefined;
  on?: WechatEventHandlers;
  storeTimeout: number;
}

/** The logger, the emitter (failed store calls reported as `storeError`) and the guarded store, for the context and for `createWechatClient`. */
export function createRuntime(settings: RuntimeSettings, store: WechatStore): Runtime<GuardedStore>;
export function createRuntime(settings: RuntimeSettings, store: WechatStore | undefined): Runtime;
export function createRuntime(settings: RuntimeSettings, store: WechatStore | undefined): Runtime {
  const log = libraryLogger(settings.logger);
  const emit = createEmitter(settings.on, log);
  const guarded =
    store &&
    new GuardedStore(store, settings.storeTimeout, (operation, timedOut, cause) => emit('storeError', { operation, timedOut, cause: describeError(cause) }));
  return { log, emit, store: guarded };
}
