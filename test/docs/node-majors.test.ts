/**
 * The Node majors the test command runs (scripts/node-majors.mjs) are the
 * ones `engines` and both READMEs claim: one pinned release per major from
 * the floor of `engines` up, the machine's own major left to the whole suite.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { read, ROOT } from './markdown';

interface Listed {
  versions: string[];
  own: string;
  run: string[];
}

const listed = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'scripts', 'node-majors.mjs'), '--list'], { encoding: 'utf8' })) as Listed;
const major = (version: string): number => Number(version.split('.')[0]);
const majors = listed.versions.map(major);

it('pins one release per major, ascending, from the floor of engines up to Node 26', () => {
  expect(listed.versions.every((version) => /^\d+\.\d+\.\d+$/.test(version))).toBe(true);
  expect([...new Set(majors)].sort((a, b) => a - b)).toEqual(majors);
  const engines = (JSON.parse(read(join(ROOT, 'package.json'))) as { engines: { node: string } }).engines.node;
  expect(engines).toBe(`>=${majors[0]}`);
  expect(majors).toEqual(expect.arrayContaining([22, 24, 26]));
});

it("runs every pinned major but the machine's own", () => {
  expect(listed.own).toBe(process.versions.node);
  expect(listed.run).toEqual(listed.versions.filter((version) => major(version) !== major(process.versions.node)));
});

it('both READMEs name the tested majors', () => {
  const [last] = majors.slice(-1);
  const english = read(join(ROOT, 'README.md'));
  expect(english).toContain(`tested on Node ${majors.slice(0, -1).join(', ')} and ${last}`);
  expect(english).toContain(`tested: ${majors.join(', ')}`);
  const chinese = read(join(ROOT, 'README.zh-CN.md'));
  expect(chinese).toContain(`在 Node ${majors.join('、')} 上测试`);
  expect(chinese).toContain(`测试 ${majors.join('、')}`);
});
