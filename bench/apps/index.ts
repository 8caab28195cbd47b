import type { BuiltConfig, ServerEnv } from './shared.js';

export type { BuiltConfig, LoadShape, ServerEnv } from './shared.js';

type Builder = (env: ServerEnv) => Promise<BuiltConfig>;

// Each server process loads only the modules of its own configuration (the
// bench runs as CommonJS: `require` on first use).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lazy = <T>(path: string): T => require(path) as T;
type Ours = typeof import('./ours.js');
type Hand = typeof import('./hand-written.js');

const ours = (store: 'memory' | 'redis' | 'redis-csc', route: 'resolve' | 'phone' | 'login'): Builder =>
  (env) => lazy<Ours>('./ours.js').oursConfig(env, store, route);
const expressSession = (store: 'memory' | 'redis'): Builder =>
  (env) => lazy<typeof import('./express-session.js')>('./express-session.js').expressSessionConfig(env, store);

/** Every server configuration by name (the names of bench/rows.ts). */
export const BUILDERS: Readonly<Record<string, Builder>> = {
  bare: (env) => lazy<typeof import('./bare.js')>('./bare.js').bareConfig(env),
  'noop-layer': (env) => lazy<typeof import('./bare.js')>('./bare.js').noopLayerConfig(env),
  'ours-memory': ours('memory', 'resolve'),
  'ours-redis': ours('redis', 'resolve'),
  'ours-redis-csc': ours('redis-csc', 'resolve'),
  'wafer-memory': (env) => lazy<typeof import('./wafer.js')>('./wafer.js').waferConfig(env),
  'es-memory': expressSession('memory'),
  'es-redis': expressSession('redis'),
  'phone-ours': ours('memory', 'phone'),
  'phone-hand': (env) => lazy<Hand>('./hand-written.js').handPhoneConfig(env),
  'login-ours': ours('memory', 'login'),
  'login-hand': (env) => lazy<Hand>('./hand-written.js').handLoginConfig(env),
  'redis-hand': (env) => lazy<Hand>('./hand-written.js').handRedisConfig(env, false),
  'redis-csc-hand': (env) => lazy<Hand>('./hand-written.js').handRedisConfig(env, true),
};
