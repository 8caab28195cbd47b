import fc from 'fast-check';
import { ROUTES, type Route } from './target.js';

/** The field names our routes read, and a few that attack the parsers. */
export const FIELD_NAMES = ['code', 'encryptedData', 'iv', 'errMsg', 'rawData', 'signature', 'token'] as const;
const HOSTILE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'code[]',
  'a[__proto__][x]',
  'constructor[prototype][polluted]',
  '__proto__[polluted]',
  'code[__proto__]',
  'a.b',
  '',
];

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset="UTF-8"',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'application/json; charset=utf-16le',
  'application/vnd.api+json',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=iso-8859-1',
  'text/plain',
  'text/plain; charset=gbk',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'application/xml',
  '',
  'application/json; charset=',
  ';;;',
  'application/json; charset=utf-8; charset=latin1',
] as const;

export const CONTENT_ENCODINGS = [undefined, 'identity', 'gzip', 'deflate', 'br', 'GZIP', 'x-unknown', 'gzip, identity', 'identity, gzip'] as const;

/**
 * A header value of bytes Node's parser lets through (tab, printable ASCII,
 * and 0x80-0xff, which arrive as latin1), and now and then any bytes but CR
 * and LF (those would end the header line; Node refuses most controls).
 */
export const headerBytes = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(0x09)), { maxLength: 80 })
      .map((b) => Buffer.from(b)),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes.filter((b) => b !== 0x0d && b !== 0x0a))) },
);

/** Text made of a few characters that matter to our parsers, and any others. */
const trickyText = fc.oneof(
  fc.string({ maxLength: 64 }),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.stringMatching(/^[A-Za-z0-9+/=_ -]{0,80}$/),
  fc.constantFrom('', ' ', 'null', ':ok', 'getPhoneNumber:ok', 'getPhoneNumber:fail user deny', '%00', '\u0000', 'A'.repeat(9000)),
);

/** A JSON object whose fields are ours (or hostile names), with values of every JSON type. */
const fieldObject = fc.dictionary(
  fc.oneof(fc.constantFrom(...FIELD_NAMES, ...HOSTILE_NAMES), fc.string({ maxLength: 12 })),
  fc.oneof(trickyText, fc.jsonValue({ maxDepth: 3 })),
  { maxKeys: 8 },
);

/** Nested arrays and objects far deeper than any real body. */
const deepJson = fc
  .tuple(fc.integer({ min: 100, max: 4000 }), fc.boolean())
  .map(([depth, objects]) => (objects ? `{"code":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}` : `{"code":${'['.repeat(depth)}${']'.repeat(depth)}}`));

/** `__proto__` and `constructor.prototype` in JSON, where a naive merge would pollute. */
const protoJson = fc.constantFrom(
  '{"__proto__":{"polluted":"yes"},"code":"x"}',
  '{"constructor":{"prototype":{"polluted":"yes"}},"code":"x"}',
  '{"code":{"__proto__":{"polluted":"yes"}}}',
  '{"__proto__":{"code":"from-proto"}}',
  '{"code":"a","code":"b","__proto__":null}',
  '[{"__proto__":{"polluted":1}}]',
);

/** Form bodies: our fields, bracketed names, prototype paths, repeats, broken percent-escapes. */
const formBody = fc
  .array(fc.tuple(fc.constantFrom(...FIELD_NAMES, ...HOSTILE_NAMES, 'code[]', 'code[0]', 'code[a]'), trickyText, fc.boolean()), { maxLength: 8 })
  .map((pairs) => pairs.map(([name, value, encode]) => `${encodeURIComponent(name)}=${encode ? encodeURIComponent(value) : value}`).join('&'));

/** A form body of one name repeated thousands of times, and how many pairs it holds. */
export interface RepeatedForm {
  body: Buffer;
  pairs: number;
}

/**
 * Form bodies of up to `maxBytes` that repeat one name (ours, hostile or
 * short junk) thousands of times, with or without a real-looking `code`
 * among them: a parser that copies its values on every repeat spends time
 * quadratic in the body's size on these.
 */
export function repeatedFormBody(maxBytes: number): fc.Arbitrary<RepeatedForm> {
  return fc
    .record({
      name: fc.oneof(fc.constantFrom(...FIELD_NAMES, ...HOSTILE_NAMES), fc.stringMatching(/^[a-z]{1,3}$/)),
      value: fc.stringMatching(/^[A-Za-z0-9%+._-]{0,8}$/),
      fill: fc.double({ min: 0.25, max: 1, noNaN: true }),
      code: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    })
    .map(({ name, value, fill, code }) => {
      const pair = `${encodeURIComponent(name)}=${value}`;
      const room = maxBytes - (code === undefined ? 0 : 40);
      const copies = Math.max(1, Math.floor((room * fill + 1) / (pair.length + 1)));
      const parts: string[] = Array.from({ length: copies }, () => pair);
      if (code !== undefined) parts.splice(Math.floor((code / 100) * copies), 0, 'code=0a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P');
      return { body: Buffer.from(parts.join('&')), pairs: parts.length };
    });
}

/** Legacy phone fields that pass every shape check but were not made with the session's key. */
const wellFormedCipher = fc.record({
  encryptedData: fc.uint8Array({ minLength: 16, maxLength: 128 }).map((b) => Buffer.from(b.subarray(0, b.length - (b.length % 16))).toString('base64')),
  iv: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('base64')),
});

/** Phone codes and login codes of the right shape that WeChat never issued. */
const unknownCode = fc.stringMatching(/^[\x21-\x7e]{1,64}$/).map((code) => ({ code }));

/** Any body: raw bytes, JSON of every type, field objects, forms, deep nesting, prototype keys. */
export const bodyBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? '')),
  fieldObject.map((o) => Buffer.from(JSON.stringify(o))),
  formBody.map((s) => Buffer.from(s)),
  deepJson.map((s) => Buffer.from(s)),
  protoJson.map((s) => Buffer.from(s)),
  wellFormedCipher.map((o) => Buffer.from(JSON.stringify(o))),
  unknownCode.map((o) => Buffer.from(JSON.stringify(o))),
  fc
    .tuple(wellFormedCipher, fc.boolean())
    .map(([o, plus]) => Buffer.from(`encryptedData=${plus ? o.encryptedData : encodeURIComponent(o.encryptedData)}&iv=${encodeURIComponent(o.iv)}`)),
  fc.constantFrom(
    Buffer.from(''),
    Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
    Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
    Buffer.from('{"code":"\ud800"}'),
  ),
);

/** A token header value: token-shaped junk, near misses of `real`, or any bytes. */
export function tokenValue(real: readonly string[]): fc.Arbitrary<Buffer> {
  const garbled = fc
    .tuple(fc.constantFrom(...real), fc.nat(31), fc.constantFrom('A', 'z', '0', '-', '_', '.', '+', '/', '=', ' ', '\t', 'é'))
    .map(([t, i, c]) => (t[i] === c ? `${t.slice(0, i)}B${t.slice(i + 1)}` : `${t.slice(0, i)}${c}${t.slice(i + 1)}`));
  const wrapped = fc
    .tuple(fc.constantFrom(...real), fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }))
    .filter(([, a, b]) => (a + b).trim() !== '')
    .map(([t, a, b]) => `${a}${t}${b}`);
  const text = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9_-]{32}$/),
    fc.stringMatching(/^[A-Za-z0-9_-]{0,64}$/),
    garbled,
    wrapped,
    fc.constantFrom(...real).map((t) => t.slice(0, 31)),
    fc.constantFrom(...real).map((t) => t.toUpperCase()),
    fc.string({ maxLength: 40 }),
  );
  return fc.oneof(
    text.map((t) => Buffer.from(t, 'latin1')),
    headerBytes,
  );
}

/** The token headers of one request, in any combination, repeated or conflicting. */
export function tokenHeaders(real: readonly string[]): fc.Arbitrary<[string, Buffer][]> {
  const value = tokenValue(real);
  const authorization = fc.oneof(
    value.map((v) => Buffer.concat([Buffer.from('Bearer '), v])),
    value.map((v) => Buffer.concat([Buffer.from('bearer   '), v])),
    value.map((v) => Buffer.concat([Buffer.from('Basic '), v])),
    fc.constantFrom(Buffer.from('Bearer'), Buffer.from('Bearer '), Buffer.from('Bearer a b'), Buffer.from('Bearer a,b'), Buffer.from('Token x')),
    value,
  );
  const header = fc.oneof(
    authorization.map((v): [string, Buffer] => ['Authorization', v]),
    value.map((v): [string, Buffer] => ['X-WX-Session', v]),
    value.map((v): [string, Buffer] => ['x-wx-session', v]),
  );
  return fc.array(header, { maxLength: 4 });
}

/** One hostile request aimed at one route. */
export interface HostileRequest {
  route: Route;
  query: string;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  tokens: [string, Buffer][];
  body: Buffer;
}

/** Requests with every field hostile; `real` are live tokens to garble (never sent intact). */
export function hostileRequest(real: readonly string[], routes: readonly Route[] = ROUTES): fc.Arbitrary<HostileRequest> {
  return fc.record({
    route: fc.constantFrom(...routes),
    query: fc.oneof(
      fc.constant(''),
      fc.string({ maxLength: 20 }).map((q) => `?${encodeURIComponent(q)}`),
      fc.constantFrom('?code=x&token=y', '?__proto__[polluted]=1'),
    ),
    contentType: fc.oneof(
      fc.constantFrom(...CONTENT_TYPES),
      fc.constant(undefined),
      fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, '')),
    ),
    contentEncoding: fc.constantFrom(...CONTENT_ENCODINGS),
    tokens: tokenHeaders(real),
    body: bodyBytes,
  });
}

/** The raw bytes of a hostile request (`Connection: close`, exact Content-Length). */
export function encode(req: HostileRequest): Buffer {
  const headers: [string, string | Buffer][] = [...req.tokens];
  if (req.contentType !== undefined) headers.push(['Content-Type', req.contentType]);
  if (req.contentEncoding !== undefined) headers.push(['Content-Encoding', req.contentEncoding]);
  headers.push(['Content-Length', String(req.body.length)], ['Connection', 'close']);
  const head: Buffer[] = [Buffer.from(`${req.route.method} ${req.route.path}${req.query} HTTP/1.1\r\nHost: 127.0.0.1\r\n`, 'latin1')];
  for (const [name, value] of headers) head.push(Buffer.from(`${name}: `), Buffer.isBuffer(value) ? value : Buffer.from(value, 'latin1'), Buffer.from('\r\n'));
  return Buffer.concat([...head, Buffer.from('\r\n'), req.body]);
}

/**
 * Requests that reach the body: the routes that read one, phone routes
 * carrying a live token `real` intact (so the body is parsed under a real
 * session, which must come out unchanged), with hostile bodies, content
 * types, charsets and encodings.
 */
export function bodyAttack(real: readonly string[], routes: readonly Route[] = ROUTES): fc.Arbitrary<HostileRequest> {
  const withBody = routes.filter((r) => r.body);
  return fc
    .record({
      route: fc.constantFrom(...withBody),
      token: fc.constantFrom(...real),
      contentType: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: fc.constant(undefined) }),
      contentEncoding: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_ENCODINGS) }),
      body: bodyBytes,
    })
    .map(({ route, token, contentType, contentEncoding, body }) => ({
      route,
      query: '',
      contentType,
      contentEncoding,
      tokens: route.session ? [['Authorization', Buffer.from(`Bearer ${token}`)] as [string, Buffer]] : [],
      body,
    }));
}
