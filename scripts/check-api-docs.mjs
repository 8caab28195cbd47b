// Every public export of the package's entry points carries an example in
// its doc comment. Reads the JSON TypeDoc writes beside the HTML reference
// (`npm run docs`); exits 1 with the exports that have none.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'docs/api/api.json';
const project = JSON.parse(readFileSync(file, 'utf8'));

const hasExample = (comment) => Boolean(comment?.blockTags?.some((tag) => tag.tag === '@example'));
/** A reflection's own comment, or that of its first signature (functions, constructors). */
const documented = (reflection) => hasExample(reflection.comment) || (reflection.signatures ?? []).some((signature) => hasExample(signature.comment));

// An export that two entry points share (the root's re-exports of `/client` and `/crypto`) is
// documented once; the other entry point holds a reference to it.
const byId = new Map();
for (const module of project.children ?? []) for (const exported of module.children ?? []) byId.set(exported.id, exported);
const target = (reflection) => (reflection.variant === 'reference' || reflection.kind === 4194304 ? byId.get(reflection.target) : reflection);

const missing = [];
for (const module of project.children ?? []) {
  for (const exported of module.children ?? []) {
    const shown = target(exported);
    if (!shown || !documented(shown)) missing.push(`${module.name}: ${exported.name}`);
  }
}
if (missing.length > 0) {
  console.error(`Public exports without an @example in their doc comment (${missing.length}):\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`API reference: every public export of ${(project.children ?? []).length} entry points has an example`);
