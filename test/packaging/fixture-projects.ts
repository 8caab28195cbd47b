import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'packages');

export interface RunResult {
  code: number;
  output: string;
}

/**
 * The environment for child processes: this one without npm's and Jest's own
 * variables, so a nested `npm` or `jest` behaves as in a fresh shell.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm_|JEST_|NODE_OPTIONS$|INIT_CWD$)/i.test(name)) env[name] = value;
  }
  return { ...env, CI: 'true', ...extra };
}

/** Run a command; resolves with its exit code and merged output (never rejects on exit codes). */
export function run(cmd: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, env: cleanEnv(), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error && typeof error.code !== 'number') {
        reject(new Error(`${cmd} ${args.join(' ')} did not finish (${error.signal ?? error.code}):\n${output.slice(-3000)}`));
        return;
      }
      resolve({ code: error ? Number(error.code) : 0, output });
    });
  });
}

/** Like {@link run}, but a non-zero exit is an error carrying the output's tail. */
export async function runOk(cmd: string, args: string[], cwd: string, timeoutMs?: number): Promise<string> {
  const result = await run(cmd, args, cwd, timeoutMs);
  if (result.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${result.code} in ${cwd}:\n${result.output.slice(-4000)}`);
  }
  return result.output;
}

/**
 * Pack the repository as npm would publish it (scripts/check-package.sh, with
 * publint and arethetypeswrong) into `work`; the tarball's path and the check's output.
 */
export async function packTarball(work: string): Promise<{ tarball: string; output: string }> {
  const check = await run('bash', [join(ROOT, 'scripts', 'check-package.sh'), '--pack-to', work], ROOT, 180_000);
  if (check.code !== 0) throw new Error(`scripts/check-package.sh failed:\n${check.output.slice(-6000)}`);
  return { tarball: /^tarball=(.+)$/m.exec(check.output)![1]!.trim(), output: check.output };
}

const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'];

/** `npm install` in `dir`, from npm's cache where it has the packages: `specs`, or the project's own dependencies when none. */
export function npmInstall(dir: string, specs: string[] = []): Promise<string> {
  return runOk('npm', ['install', ...specs, ...NPM_FLAGS], dir, 120_000);
}

/**
 * Pack the workspace packages/`name` (built by `npm run build` at the
 * root) into `dest`, as npm would publish it; resolves with the tarball's path.
 */
export async function packWorkspace(name: string, dest: string): Promise<string> {
  const dir = join(ROOT, 'packages', name);
  const { main } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { main: string };
  if (!existsSync(join(dir, main))) throw new Error(`packages/${name}/${main} is missing: run \`npm run build\` first`);
  const output = await runOk('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dest], dir);
  return join(dest, output.trim().split('\n').pop()!);
}

/**
 * Copy fixture `name` into `work/name` and install the tarball into it with
 * the fixture's own dependencies, from npm's cache where it has them. The
 * package's required peer (express) comes from npm's automatic peer install,
 * lru-cache as its dependency; the optional ones are installed only where a fixture lists them.
 * With `dependenciesFirst`, the fixture's own dependencies are installed
 * on their own first, as an existing app has them, and the tarball is added
 * after with a plain `npm install` (no --force, no --legacy-peer-deps).
 */
export async function installFixture(name: string, work: string, tarball: string, dependenciesFirst = false): Promise<string> {
  const dir = join(work, name);
  cpSync(join(FIXTURES, name), dir, { recursive: true, filter: (src) => !/[\\/](node_modules|build|build-require)$/.test(src) });
  if (dependenciesFirst) await npmInstall(dir);
  await npmInstall(dir, [tarball]);
  return dir;
}

/** The `version` of a package installed in a fixture. */
export function installedVersion(dir: string, pkg: string): string {
  return (JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Every file path an `exports` map (and `main`/`types`) points at, without a leading `./`. */
export function exportTargets(pkg: { main?: string; types?: string; exports?: unknown }): string[] {
  const targets = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string') targets.add(node.replace(/^\.\//, ''));
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk([pkg.main, pkg.types, pkg.exports]);
  return [...targets].sort();
}
