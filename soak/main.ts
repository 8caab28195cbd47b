/**
 * `npm run soak`: a time-bounded run under faults (SOAK_SECONDS, default
 * 300; SOAK_USERS per store). Prints a report, then one `SOAK_REPORT {json}`
 * line; exits 1 when a property failed.
 */
import { configFromEnv } from './config.js';
import { failures, formatReport } from './report.js';
import { runSoak } from './run.js';

/** Heap growth past which a run is not flat. */
const MAX_HEAP_GROWTH = 8 * 1024 * 1024;

async function main(): Promise<void> {
  const config = configFromEnv();
  const quiet = process.env.SOAK_QUIET === '1';
  const report = await runSoak(config, quiet ? undefined : (line) => console.log(line));
  console.log(formatReport(report));
  console.log(`SOAK_REPORT ${JSON.stringify(report)}`);
  const failed = failures(report, MAX_HEAP_GROWTH);
  if (failed.length > 0) {
    console.error(`soak failed: ${failed.join('; ')}`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
