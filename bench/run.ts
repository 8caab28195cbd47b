/**
 * `npm run bench`: one run, one table. Starts its own redis-server and WeChat
 * stand-in, measures every configuration side by side on this machine and
 * prints Markdown tables (progress goes to stderr). Settings: bench/settings.ts.
 *
 * Layout on two cores or more: every measured process (one per
 * configuration) is pinned to core 0; the load generator, the stand-in,
 * redis-server and this process to core 1.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeServerDir, startRedis, stopAll } from '../test/support/servers.js';
import { redisRaw } from '../test/support/probes.js';
import { buildChecks } from './checks.js';
import { canPin, HELPER_CORE, pin, ROOT, startChild, type ChildHandle } from './child.js';
import { measureConfigurations, startConfigurations, stopConfigurations, type StartedConfigurations } from './http-phase.js';
import { measureDecrypt, measureLookups, measureSizes } from './resource-phase.js';
import { compileLibrary } from './library.js';
import { profileTable } from './profile-summary.js';
import { HTTP_ROWS } from './rows.js';
import { readSettings, type BenchSettings } from './settings.js';
import { checksTable, configurationTable } from './table.js';

const began = Date.now();
const log = (line: string): void => void process.stderr.write(`[bench ${((Date.now() - began) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);

function versionOf(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

async function header(settings: BenchSettings, redisPort: number, pinning: boolean): Promise<string> {
  const redisVersion = /redis_version:(\S+)/.exec(await redisRaw(redisPort, 'INFO', 'server'))?.[1] ?? '?';
  const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const layout = pinning
    ? 'each configuration in its own process pinned to core 0 (taskset); load generator, stand-in and redis-server on core 1'
    : 'NOT pinned (taskset missing or a single core): numbers are noisier';
  return [
    `## express-wechat-session ${own.version} benchmark, ${new Date().toISOString().slice(0, 10)}`,
    '',
    `- machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}; ${layout}`,
    `- Node ${process.versions.node}, Express ${versionOf('express')}, redis-server ${redisVersion}, redis (node-redis) ${versionOf('redis')}, ` +
      `express-session ${versionOf('express-session')}, connect-redis ${versionOf('connect-redis')}, ` +
      `wafer-node-session ${versionOf('wafer-node-session')}, autocannon ${versionOf('autocannon')}`,
    '- the library runs as compiled JavaScript (tsc, tsconfig.build.json: the CommonJS build users `require`), not through tsx',
    `- ${settings.rounds} rounds × ${settings.duration} s per configuration, spread over ${settings.processes} server process(es) each, ` +
      `every process warmed up ${settings.warmup} s first, each run paired with the process's bare twin (0.3 s re-warm before each pair); rounds interleaved, medians of every run; ${settings.connections} keep-alive connections; ${settings.sessions} sessions for the size rows` +
      (settings.quick ? ' (BENCH_QUICK: a smoke run, not for quoting)' : ''),
    '- "by CPU": server CPU time per request (process.cpuUsage() before and after each run ÷ requests served), medians; ' +
      '"best": the lowest run; req/s moves with whatever else the machine runs; ' +
      '"other load": CPU that processes outside the bench took during the runs (median, % of one core): above ~20% the numbers are disturbed',
  ].join('\n');
}

async function helper(script: string, pinning: boolean, children: ChildHandle[]): Promise<ChildHandle> {
  const child = await startChild(script);
  children.push(child);
  if (pinning) pin(child.pid, HELPER_CORE);
  return child;
}

/**
 * Move the CPU profiles out of the servers' directory (removed at the end),
 * say where they are, and return a summary of each: where its busy time went.
 */
function keepProfiles(from: string): string {
  const to = mkdtempSync(join(tmpdir(), 'wxs-bench-profiles-'));
  const names = existsSync(from) ? readdirSync(from).filter((name) => name.endsWith('.cpuprofile')).sort() : [];
  for (const name of names) renameSync(join(from, name), join(to, name));
  log(`CPU profiles (written as the servers exit): ${to}`);
  const sections = names.map((name) => [`#### ${name.replace(/\.cpuprofile$/, '')}`, '', profileTable(join(to, name)), ''].join('\n'));
  return sections.length > 0 ? ['### CPU profiles (self time, busy time only)', '', ...sections].join('\n') : '';
}

async function main(): Promise<void> {
  const settings = readSettings();
  log(`library compiled to ${compileLibrary(ROOT)}`);
  const pinning = canPin();
  if (pinning) pin(process.pid, HELPER_CORE);
  const dir = makeServerDir();
  const children: ChildHandle[] = [];
  let started: StartedConfigurations | undefined;
  try {
    // One redis-server for the HTTP rows, another (flushed at will) for the size rows.
    const [redis, sizeRedis] = await Promise.all([startRedis(dir), startRedis(dir)]);
    if (pinning) [redis, sizeRedis].forEach((server) => pin(server.pid, HELPER_CORE));
    const [standIn, load] = await Promise.all([helper('standin-process.ts', pinning, children), helper('load-process.ts', pinning, children)]);
    log(`redis-server ${redis.address}, stand-in ${String(standIn.info.url)}${pinning ? '' : ' (not pinned)'}`);
    const helperPids = [process.pid, redis.pid, standIn.pid, load.pid];
    const profileDir = join(dir, 'cpu-profiles');
    const deps = { settings, standIn, load, redisPort: redis.port, pinning, helperPids, profileDir, log };
    // Sizes do not depend on timing: measured while the server processes start.
    const starting = startConfigurations(HTTP_ROWS, deps);
    log(`session sizes (${settings.sessions} sessions)`);
    const size = await measureSizes(settings, `redis://${sizeRedis.address}`, pinning);
    started = await starting;
    log('legacy phone decryption');
    const decrypt = await measureDecrypt(settings, pinning);
    log('session lookups in process');
    const lookups = await measureLookups(settings, `redis://${sizeRedis.address}`, pinning);
    const http = await measureConfigurations(started, deps);
    const out = [
      await header(settings, redis.port, pinning),
      '',
      '### Configurations',
      '',
      configurationTable(HTTP_ROWS, http),
      '',
      '### Comparisons and targets',
      '',
      checksTable(buildChecks(http, decrypt, size, lookups)),
      '',
    ];
    process.stdout.write(out.join('\n'));
    if (settings.profile.length > 0) {
      // A server writes its profile as it exits: stop them all (and wait) before reading any.
      const stopping = started;
      started = undefined;
      await stopConfigurations(stopping);
      process.stdout.write(`\n${keepProfiles(profileDir)}\n`);
    }
    log(`done in ${((Date.now() - began) / 1000).toFixed(0)} s`);
  } finally {
    if (started) await stopConfigurations(started);
    await Promise.all(children.map((c) => c.close()));
    await stopAll(dir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
