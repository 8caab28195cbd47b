// For each peer dependency: the newest version on the registry, whether the
// peer range accepts it, and which majors the test suite installs (the
// devDependency of the same name and its npm: aliases). Exits 1 when a
// newest version is refused by its range or has no tested major.
// Run: npm run deps:check
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const semver = require('semver');
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** The lowest major a devDependency spec can install (`^6.4.0`, `npm:redis@^4.7.1`). */
function majorOf(spec) {
  const range = spec.startsWith('npm:') ? spec.slice(spec.lastIndexOf('@') + 1) : spec;
  const min = semver.minVersion(range);
  return min ? `${min.major}${min.major === 0 ? `.${min.minor}` : ''}` : '?';
}

/** Majors of `name` the suite installs, from devDependencies and their aliases. */
function testedMajors(name) {
  return Object.entries(pkg.devDependencies ?? {})
    .filter(([dev, spec]) => dev === name || spec.startsWith(`npm:${name}@`))
    .map(([, spec]) => majorOf(spec));
}

const newest = (name) => execFileSync('npm', ['view', name, 'version'], { encoding: 'utf8' }).trim();
const sameMajor = (version, major) => (semver.major(version) === 0 ? `0.${semver.minor(version)}` : String(semver.major(version))) === major;

const rows = [];
let failed = false;
for (const [name, range] of Object.entries(pkg.peerDependencies ?? {})) {
  const latest = newest(name);
  const accepted = semver.satisfies(latest, range);
  const tested = testedMajors(name);
  const latestTested = tested.some((major) => sameMajor(latest, major));
  if (!accepted || !latestTested) failed = true;
  rows.push([name, range, latest, accepted ? 'yes' : 'NO', tested.join(', ') || '-', latestTested ? 'yes' : 'NO']);
}

const head = ['peer', 'range', 'newest', 'accepted', 'majors tested', 'newest tested'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
for (const row of [head, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
if (failed) {
  console.log('\nA newest version is refused by its range or untested: widen the range and add a devDependency alias for it.');
  process.exitCode = 1;
}
