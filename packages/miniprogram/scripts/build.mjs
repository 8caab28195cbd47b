// Builds the client (src/) into miniprogram_dist/: ES2017 CommonJS without
// comments for the mini-program's size budget, then the declarations with
// their documentation. WeChat DevTools' "Build npm" copies this directory as
// it is, through the "miniprogram" field.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'miniprogram_dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const project = join(root, 'tsconfig.json');

function run(...args) {
  execFileSync(process.execPath, [tsc, '-p', project, ...args], { cwd: root, stdio: 'inherit' });
}

rmSync(outDir, { recursive: true, force: true });
run('--removeComments', '--declaration', 'false');
run('--emitDeclarationOnly');

// Modules that only held types compile to an empty shell nothing requires: drop them.
const EMPTY = '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\n';
for (const name of readdirSync(outDir).filter((file) => file.endsWith('.js'))) {
  if (readFileSync(join(outDir, name), 'utf8') === EMPTY) rmSync(join(outDir, name));
}

const files = readdirSync(outDir).filter((name) => name.endsWith('.js'));
const bytes = files.reduce((sum, name) => sum + statSync(join(outDir, name)).size, 0);
if (!process.argv.includes('--quiet')) {
  console.log(`miniprogram_dist: ${files.length} .js files, ${bytes} bytes`);
}
