import { readFileSync, rmSync } from 'node:fs';
import type { ServersState } from './global-setup';

const STATE_ENV = 'WXS_TEST_SERVERS_STATE';

/** The process still runs the server we started (its command line names our port). */
function isOurs(pid: number, port: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(String(port));
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Jest globalTeardown: kill the servers globalSetup started and remove
 * their directory, so a run leaves no process or file behind.
 */
export default async function globalTeardown(): Promise<void> {
  const stateFile = process.env[STATE_ENV];
  if (!stateFile) return;
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as ServersState;
  const ours = state.servers.filter((s) => isOurs(s.pid, s.port));
  for (const s of ours) process.kill(s.pid, 'SIGKILL');
  const deadline = Date.now() + 3000;
  while (ours.some((s) => alive(s.pid)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
  }
  rmSync(state.dir, { recursive: true, force: true });
  delete process.env[STATE_ENV];
}
