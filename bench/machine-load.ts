import { readFileSync } from 'node:fs';

/** Linux's clock tick for /proc times (USER_HZ). */
const TICKS_PER_SECOND = 100;

/** Busy CPU ticks of the whole machine so far (every state but idle and iowait), or NaN off Linux. */
function machineBusyTicks(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return user! + nice! + system! + irq! + softirq! + steal!;
  } catch {
    return Number.NaN;
  }
}

/** User + system ticks of process `pid` (all its threads), 0 when it is gone. */
function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime
  } catch {
    return 0;
  }
}

/**
 * How busy the machine was with processes other than the bench's own while
 * a run went on, in percent of one core: the machine's busy time minus the
 * CPU time of the bench's processes. A quiet machine reads near 0.
 *
 * @example
 * ```ts
 * const watch = startForeignLoad(() => [process.pid, server.pid]);
 * // … load run …
 * const percent = watch.stop();
 * ```
 */
export function startForeignLoad(pids: () => readonly number[]): { stop(): number } {
  const sum = () => pids().reduce((total, pid) => total + processTicks(pid), 0);
  const machine = machineBusyTicks();
  const ours = sum();
  const started = performance.now();
  return {
    stop() {
      const seconds = (performance.now() - started) / 1000;
      const foreign = machineBusyTicks() - machine - (sum() - ours);
      return seconds > 0 ? Math.max(0, (foreign / TICKS_PER_SECOND / seconds) * 100) : Number.NaN;
    },
  };
}
