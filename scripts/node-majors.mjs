// The server-free tier (jest.quick.config.js) on every Node major the package
// claims, with the official binaries the npm registry ships
// (node-<platform>-<arch>, the package behind `npx -p node@24`). The
// machine's own major is left out: it runs the whole suite. Each binary is
// downloaded once (npm checks the tarball against the registry's integrity
// hash) and kept under $XDG_CACHE_HOME/express-wechat-session/ (~/.cache by
// default), only bin/node and its licence. Needs a build (dist/) first.
// Exits 1 when a major fails or cannot be had.
//
// Run: npm run test:majors   (`--list` prints the versions as JSON)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One pinned release per major, from the floor of `engines` up; bump them together with the README. */
const NODE_VERSIONS = ['20.20.2', '22.23.5', '24.22.3', '26.12.1'];

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'express-wechat-session');
const OWN_MAJOR = process.versions.node.split('.')[0];
const majorOf = (version) => version.split('.')[0];

/** The registry package holding the binary for this machine, as the `node` package picks it. */
function binaryPackage() {
  const platform = { linux: 'linux', darwin: 'darwin' }[process.platform];
  if (!platform) throw new Error(`no Node binary package for platform ${process.platform}`);
  return `node-${platform}-${process.arch}`;
}

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function exec(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${result.status ?? result.signal}:\n${`${result.stdout ?? ''}${result.stderr ?? ''}`.slice(-2000)}`);
  }
  return result.stdout;
}

/** The cached binary of `version`, downloaded from the registry when missing. */
function nodeBinary(version) {
  const dir = join(CACHE, `node-${version}`);
  const bin = join(dir, 'bin', 'node');
  if (existsSync(bin)) {
    console.log(`Node ${version}: cached at ${bin}`);
    return bin;
  }
  mkdirSync(CACHE, { recursive: true });
  const tmp = mkdtempSync(join(CACHE, `.node-${version}-`));
  try {
    const started = Date.now();
    const spec = `${binaryPackage()}@${version}`;
    // A cache of its own, thrown away with tmp: the tarball is not kept twice.
    const name = exec('npm', ['pack', spec, '--pack-destination', tmp, '--cache', join(tmp, 'npm-cache'), '--loglevel=error'], { cwd: tmp }).trim();
    const tarball = join(tmp, name.split('\n').pop());
    exec('tar', ['-xzf', tarball, '-C', tmp, 'package/bin/node', 'package/LICENSE']);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `Node ${version}: downloaded ${spec} (${mib(statSync(tarball).size)}, ${mib(statSync(join(tmp, 'package', 'bin', 'node')).size)} unpacked) in ${seconds} s`,
    );
    // Another run may have put it in place meanwhile: either copy is the same release.
    if (!existsSync(dir)) renameSync(join(tmp, 'package'), dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return bin;
}

/** The environment of a run on `bin`: its `node` first on PATH, without npm's pointer to the machine's. */
function envFor(bin) {
  const env = { ...process.env, PATH: `${dirname(bin)}${delimiter}${process.env.PATH ?? ''}` };
  delete env.npm_node_execpath;
  delete env.NODE;
  return env;
}

/** Jest's server-free tier on `bin`; its counts, read from Jest's JSON report. */
function quickTier(version, bin) {
  const reported = exec(bin, ['--version'], { env: envFor(bin) }).trim();
  if (reported !== `v${version}`) throw new Error(`${bin} reports ${reported}, not v${version}`);
  const report = join(CACHE, `.report-${version}-${process.pid}.json`);
  const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const run = spawnSync(bin, [jest, '--config', 'jest.quick.config.js', '--ci', '--json', '--outputFile', report], {
    cwd: ROOT,
    env: envFor(bin),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const { numPassedTests, numFailedTests, numRuntimeErrorTestSuites } = JSON.parse(readFileSync(report, 'utf8'));
    const failed = numFailedTests + numRuntimeErrorTestSuites;
    return { passed: numPassedTests, failed: failed === 0 && run.status !== 0 ? 1 : failed };
  } catch {
    return { passed: 0, failed: 1 };
  } finally {
    rmSync(report, { force: true });
  }
}

function main() {
  const versions = NODE_VERSIONS.filter((version) => majorOf(version) !== OWN_MAJOR);
  if (process.argv.includes('--list')) {
    console.log(JSON.stringify({ versions: NODE_VERSIONS, own: process.versions.node, run: versions }));
    return;
  }
  console.log(`Server-free tier on Node ${versions.join(', ')} (Node ${process.versions.node}, this machine's, runs the whole suite)`);
  const results = versions.map((version) => {
    try {
      return { version, ...quickTier(version, nodeBinary(version)) };
    } catch (err) {
      console.error(`Node ${version}: ${err.message}`);
      return { version, passed: 0, failed: 1 };
    }
  });
  for (const { version, passed, failed } of results) console.log(`Node ${version}: ${passed} passed, ${failed} failed`);
  const total = (key) => results.reduce((sum, result) => sum + result[key], 0);
  console.log(`node-majors: ${total('passed')} passed, ${total('failed')} failed`);
  if (total('failed') > 0) process.exitCode = 1;
}

main();
