import { join } from 'node:path';
import { spawnListening, type ListeningProcess } from '../support/spawn-listening.js';

const SCRIPT = join(__dirname, 'app-process.ts');

/** An app process of the fleet (see app-process.ts). */
export type AppProcess = ListeningProcess;

/**
 * Start app-process.ts with `node --import tsx` and the given environment;
 * resolves once it prints the URL it listens on.
 *
 * @example
 * ```ts
 * const one = await spawnApp({ WXS_STORE: 'redis', WXS_STORE_SERVERS: process.env.REDIS_URL!, … });
 * ```
 */
export function spawnApp(env: Record<string, string>): Promise<AppProcess> {
  return spawnListening(SCRIPT, env);
}
