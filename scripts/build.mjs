// Builds every package of the repository: the workspaces (packages/*) first,
// then this one, CommonJS (dist/cjs) and ES modules (dist/esm) from the same
// sources, each with its declarations. dist/miniprogram is a copy of the
// mini-program client's build, so that `express-wechat-session/miniprogram`
// keeps working without a new dependency.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const node = (...args) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });

execFileSync('npm', ['run', '--silent', '--workspaces', '--if-present', 'build'], { cwd: root, stdio: 'inherit' });
rmSync(join(root, 'dist'), { recursive: true, force: true });
node(tsc, '-p', 'tsconfig.build.json');
node(tsc, '-p', 'tsconfig.esm.json');
for (const [dir, type] of [
  ['cjs', 'commonjs'],
  ['esm', 'module'],
]) {
  mkdirSync(join(root, 'dist', dir), { recursive: true });
  writeFileSync(join(root, 'dist', dir, 'package.json'), `${JSON.stringify({ type }, null, 2)}\n`);
}
cpSync(join(root, 'packages', 'miniprogram', 'miniprogram_dist'), join(root, 'dist', 'miniprogram'), { recursive: true });
