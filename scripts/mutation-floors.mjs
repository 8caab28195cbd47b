// The per-file floors of `npm run test:mutation`: reads the JSON report
// Stryker just wrote and exits 1 naming every file whose mutation score is
// below its floor. The score is Stryker's own: killed and timed-out mutants
// over all valid ones (those ignored or not compiling are left out).
import { readFileSync } from 'node:fs';

const REPORT = 'reports/mutation/mutation.json';
const FLOORS = [
  ['src/crypto/', 90],
  ['src/session/token.ts', 90],
  ['src/http/token-transport.ts', 90],
  ['src/http/body.ts', 85],
  ['src/session/manager.ts', 85],
  ['src/session/key-lock.ts', 85],
];

const DETECTED = new Set(['Killed', 'Timeout']);
const MISSED = new Set(['Survived', 'NoCoverage']);

const report = JSON.parse(readFileSync(REPORT, 'utf8'));
const failures = [];
const seen = new Set();
for (const [path, file] of Object.entries(report.files)) {
  const rule = FLOORS.find(([prefix]) => path === prefix || (prefix.endsWith('/') && path.startsWith(prefix)));
  if (!rule) continue;
  seen.add(rule[0]);
  const detected = file.mutants.filter((m) => DETECTED.has(m.status)).length;
  const valid = detected + file.mutants.filter((m) => MISSED.has(m.status)).length;
  const score = valid === 0 ? 100 : (detected / valid) * 100;
  if (score < rule[1]) failures.push(`${path}: ${score.toFixed(2)}% is below its floor of ${rule[1]}%`);
}
for (const [prefix] of FLOORS) if (!seen.has(prefix)) failures.push(`${prefix}: not in the report (is it still in "mutate"?)`);

if (failures.length > 0) {
  console.error(`Mutation score below the per-file floor:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`Every file is at or above its mutation floor (${FLOORS.map(([p, f]) => `${p} ${f}%`).join(', ')}).`);
