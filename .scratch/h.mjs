import { createHash, hash, randomBytes } from 'node:crypto';
const toks = Array.from({length: 1000}, () => randomBytes(24).toString('base64url'));
function bench(name, f) { let x; for (let i = 0; i < 200000; i++) x = f(toks[i % 1000]); const t = performance.now(); for (let i = 0; i < 1000000; i++) x = f(toks[i % 1000]); console.log(name, ((performance.now() - t)).toFixed(0), 'ns/op'); }
bench('createHash', (t) => createHash('sha256').update(t).digest('base64url'));
bench('hash slice', (t) => hash('sha256', t, 'base64url').slice(0, 32));
bench('hash buffer', (t) => hash('sha256', t, 'buffer').toString('base64url', 0, 24));
const re = /^[A-Za-z0-9_-]{32}$/;
bench('regex', (t) => t.length === 32 && re.test(t));
function shaped(v) { if (v.length !== 32) return false; for (let i = 0; i < 32; i++) { const c = v.charCodeAt(i); if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95)) return false; } return true; }
bench('loop', shaped);
const B = /^Bearer +([^\s,]+) *$/i;
const hdr = toks.map(t => 'Bearer ' + t);
let i2 = 0;
bench('bearer regex', () => B.exec(hdr[i2++ % 1000])?.[1]);
bench('bearer manual', () => { const h = hdr[i2++ % 1000]; return (h.length > 7 && (h.charCodeAt(6) === 32) && h.slice(0, 6).toLowerCase() === 'bearer') ? h.slice(7) : undefined; });
