import express from 'express';
import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { wechatRouter } from '../../src/index.js';
import { listen } from '../support/harness.js';
import { MAX_FORM_FIELDS } from '../../src/http/body.js';
import { repeatedFormBody } from './arbitraries.js';
import { prototypeFingerprint, refusalProblem, runs, SEED, watchProcess } from './check.js';
import { rawRequest, requestHead, type RawAnswer } from './raw.js';
import { startTarget, type Target } from './target.js';

/**
 * Bodies cut off, abandoned, dripped, oversize or deeply nested, prototype
 * keys through our parser and through the app's own parsers, repeated form
 * fields, every content type and charset: each answered by a clean 4xx in
 * bounded time (the `bodyTimeout` option), the connection closed when the
 * rest of a body would never be read, and no login code spent on a body
 * that was refused.
 */

jest.setTimeout(60_000); // property runs take seconds alone, longer beside the rest of the suite on 2 cores

const BODY_TIMEOUT = 1000;
let target: Target;
let parsed: { server: Server; port: number };
let watcher: ReturnType<typeof watchProcess>;
const fingerprint = prototypeFingerprint();

beforeAll(async () => {
  watcher = watchProcess();
  target = await startTarget(2, { bodyTimeout: BODY_TIMEOUT, bodyLimit: 2048 });
  const app = express();
  app.use(express.json({ limit: '2mb' }), express.urlencoded({ extended: true }));
  app.use('/wechat', wechatRouter(target.options));
  const { server } = await listen(app);
  parsed = { server, port: (server.address() as AddressInfo).port };
});
afterAll(async () => {
  watcher.stop();
  parsed.server.closeAllConnections();
  await new Promise((resolve) => parsed.server.close(resolve));
  await target.close();
});

const auth = (): [string, string] => ['Authorization', `Bearer ${target.victims[0]!.token}`];

function head(path: string, headers: [string, string][], length: number | 'chunked'): Buffer {
  const framing: [string, string] = length === 'chunked' ? ['Transfer-Encoding', 'chunked'] : ['Content-Length', String(length)];
  return requestHead('POST', path, [['Content-Type', 'application/json'], framing, ...headers]);
}

function expectRefusal(answer: RawAnswer, code: string): void {
  expect(refusalProblem(answer)).toBeUndefined();
  expect(JSON.parse(answer.body).error.code).toBe(code);
}

describe('bodies that never arrive in full', () => {
  it.each(['/wechat/login', '/alone/login', '/wechat/phone', '/alone/phone'])(
    '%s: a body cut off mid-way is answered 408 within bodyTimeout, and the connection closed',
    async (path) => {
      const before = await target.dump();
      const answer = await rawRequest(target.port, [head(path, [auth()], 100), Buffer.from('{"code":"abc')], { firstAnswer: false, timeoutMs: 4000 });
      expectRefusal(answer, 'WECHAT_REQUEST_TIMEOUT');
      expect(answer.headers.connection).toBe('close');
      expect(answer.closed).toBe(true);
      expect(answer.ms).toBeGreaterThanOrEqual(BODY_TIMEOUT - 50);
      expect(answer.ms).toBeLessThan(BODY_TIMEOUT + 1000);
      expect(await target.dump()).toEqual(before);
    },
  );

  it('a body dripped a byte at a time is cut off at bodyTimeout, not when the drip ends', async () => {
    const drip = Array.from({ length: 40 }, () => Buffer.from(' '));
    const answer = await rawRequest(target.port, [head('/wechat/login', [], 40), ...drip], { gapMs: 100, timeoutMs: 6000, firstAnswer: false });
    expectRefusal(answer, 'WECHAT_REQUEST_TIMEOUT');
    expect(answer.ms).toBeLessThan(BODY_TIMEOUT + 1000);
  });

  it('a client that half-closes mid-body gets a 400 or a closed connection, at once', async () => {
    const answer = await rawRequest(target.port, [head('/wechat/phone', [auth()], 100), Buffer.from('{"co')], { endAfterWrite: true, firstAnswer: false });
    if (answer.status !== undefined) expect(refusalProblem(answer)).toBeUndefined(); // ours, or Node's own 400 for the EOF
    expect(answer.ms).toBeLessThan(BODY_TIMEOUT);
  });

  it('a client that vanishes mid-body leaves the server answering everyone else', async () => {
    const before = await target.dump();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        rawRequest(target.port, [head(i % 2 ? '/wechat/login' : '/wechat/phone', [auth()], 500), Buffer.from('{"code":"')], { timeoutMs: 60 }).catch(
          () => undefined,
        ),
      ),
    );
    const res = await fetch(`${target.url}/wechat/session`, { headers: { authorization: auth()[1] } });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, BODY_TIMEOUT + 200));
    expect(await target.dump()).toEqual(before);
    expect(watcher.problems).toEqual([]);
  });
});

describe('oversize bodies', () => {
  it('a declared length over bodyLimit is refused 413 at once and the connection closed', async () => {
    const answer = await rawRequest(target.port, [head('/wechat/login', [], 10_000_000), Buffer.from('{"code":"')], { firstAnswer: false });
    expectRefusal(answer, 'WECHAT_BODY_TOO_LARGE');
    expect(answer.headers.connection).toBe('close');
    expect(answer.ms).toBeLessThan(500);
  });

  it('a chunked body that grows past bodyLimit is refused 413 and not read to its end', async () => {
    const chunk = Buffer.from(`400\r\n${'x'.repeat(0x400)}\r\n`);
    const endless = Array.from({ length: 200 }, () => chunk);
    const answer = await rawRequest(target.port, [head('/wechat/phone', [auth()], 'chunked'), ...endless], { gapMs: 5, firstAnswer: false, timeoutMs: 5000 });
    expectRefusal(answer, 'WECHAT_BODY_TOO_LARGE');
    expect(answer.closed).toBe(true);
    expect(answer.ms).toBeLessThan(900); // long before the 200 chunks (1 s) were sent
  });
});

describe('structure attacks', () => {
  it('refuses JSON nested 100 000 deep under a large bodyLimit without a crash', async () => {
    const deep = await startTarget(1, { bodyLimit: 1_000_000 });
    try {
      for (const body of [`{"code":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, `{"code":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`]) {
        const answer = await rawRequest(deep.port, [head('/wechat/login', [['Connection', 'close']], body.length), Buffer.from(body)]);
        expectRefusal(answer, 'WECHAT_BAD_REQUEST');
      }
    } finally {
      await deep.close();
    }
  });

  const protoBodies: [string, string, string][] = [
    ['JSON __proto__', 'application/json', '{"__proto__":{"polluted":"yes"},"code":"c1"}'],
    ['JSON constructor.prototype', 'application/json', '{"constructor":{"prototype":{"polluted":"yes"}},"code":"c1"}'],
    ['form a[__proto__][x]', 'application/x-www-form-urlencoded', 'a[__proto__][polluted]=1&code=c1'],
    ['form __proto__[x]', 'application/x-www-form-urlencoded', '__proto__[polluted]=1&code=c1'],
    ['form constructor[prototype][x]', 'application/x-www-form-urlencoded', 'constructor[prototype][polluted]=1&code=c1'],
    ['form __proto__=x', 'application/x-www-form-urlencoded', '__proto__=polluted&code=c1'],
  ];

  it.each(protoBodies)("%s pollutes nothing, through our parser or the app's", async (_what, type, body) => {
    for (const port of [target.port, parsed.port]) {
      const answer = await rawRequest(port, [
        requestHead('POST', '/wechat/login', [
          ['Content-Type', type],
          ['Content-Length', String(body.length)],
          ['Connection', 'close'],
        ]),
        Buffer.from(body),
      ]);
      expect(refusalProblem(answer)).toBeUndefined();
      expect(prototypeFingerprint()).toBe(fingerprint);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it.each([['code=a&code=b'], ['code[]=a&code[]=b'], ['code[0]=a'], ['code[x]=a']])(
    'refuses the repeated or bracketed form field %s as not a single string, spending no code',
    async (body) => {
      const calls = target.wechat.calls.jscode2session;
      for (const port of [target.port, parsed.port]) {
        const answer = await rawRequest(port, [
          requestHead('POST', '/wechat/login', [
            ['Content-Type', 'application/x-www-form-urlencoded'],
            ['Content-Length', String(body.length)],
            ['Connection', 'close'],
          ]),
          Buffer.from(body),
        ]);
        expectRefusal(answer, 'WECHAT_BAD_REQUEST');
        expect(JSON.parse(answer.body).error.field).toBe('code');
      }
      expect(target.wechat.calls.jscode2session).toBe(calls);
    },
  );
});

describe('form bodies of repeated names at scale', () => {
  const LIMIT = 64 * 1024;
  let big: Target;
  beforeAll(async () => {
    big = await startTarget(0, { bodyLimit: LIMIT });
  });
  afterAll(() => big.close());

  const send = (body: Buffer) =>
    rawRequest(
      big.port,
      [
        requestHead('POST', '/wechat/login', [
          ['Content-Type', 'application/x-www-form-urlencoded'],
          ['Content-Length', String(body.length)],
          ['Connection', 'close'],
        ]),
        body,
      ],
      { timeoutMs: 20_000 },
    );

  it(`a ${LIMIT}-byte body of one name repeated is refused as having more than MAX_FORM_FIELDS fields, before its pairs are collected`, async () => {
    const answer = await send(Buffer.from('a=&'.repeat(Math.floor(LIMIT / 3))));
    expectRefusal(answer, 'WECHAT_BAD_REQUEST');
    expect(JSON.parse(answer.body).error.field).toBe('body');
  });

  it('every body of repeated names up to bodyLimit is refused 400 on the body as a whole, spending no code and writing nothing', async () => {
    const calls = big.wechat.calls.jscode2session;
    const writes = big.calls.writes;
    await fc.assert(
      fc.asyncProperty(repeatedFormBody(LIMIT), async ({ body, pairs }) => {
        const answer = await send(body);
        expectRefusal(answer, 'WECHAT_BAD_REQUEST');
        if (pairs > MAX_FORM_FIELDS) expect(JSON.parse(answer.body).error.field).toBe('body');
      }),
      { seed: SEED, numRuns: runs(40) },
    );
    expect(big.wechat.calls.jscode2session).toBe(calls);
    expect(big.calls.writes).toBe(writes);
  });

  it('a body of exactly MAX_FORM_FIELDS pairs is still read: a repeated code among them is refused as not a single string', async () => {
    const body = Buffer.from(Array.from({ length: MAX_FORM_FIELDS }, (_, i) => `code=c${i}`).join('&'));
    const answer = await send(body);
    expectRefusal(answer, 'WECHAT_BAD_REQUEST');
    expect(JSON.parse(answer.body).error.field).toBe('code');
  });
});

describe('content types, charsets and encodings with a real login code', () => {
  const accepted = [
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset="UTF-8"',
    'application/vnd.api+json',
    'APPLICATION/JSON;CHARSET=UTF8',
  ];
  const refused = [
    'text/plain',
    'application/json; charset=latin1',
    'application/json; charset=gbk',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    'application/xml',
    'application/x-www-form-urlencoded',
  ];

  /** A JSON login body with a fresh code, sent as `type`. */
  const typedLogin = (type: string) => {
    const body = JSON.stringify({ code: target.wechat.issueLoginCode() });
    const head = requestHead('POST', '/wechat/login', [
      ['Content-Type', type],
      ['Content-Length', String(body.length)],
      ['Connection', 'close'],
    ]);
    return rawRequest(target.port, [head, Buffer.from(body)]);
  };

  it.each(accepted)('%s logs in', async (type) => {
    const answer = await typedLogin(type);
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it.each(refused)('a JSON body sent as %s is refused 400 and the code is not spent', async (type) => {
    const calls = target.wechat.calls.jscode2session;
    const answer = await typedLogin(type);
    expectRefusal(answer, 'WECHAT_BAD_REQUEST');
    expect(target.wechat.calls.jscode2session).toBe(calls);
  });

  /** A JSON login body with a fresh code, sent with `encoding` as its Content-Encoding. */
  const encodedLogin = (encoding: string) => {
    const body = JSON.stringify({ code: target.wechat.issueLoginCode() });
    const head = requestHead('POST', '/wechat/login', [
      ['Content-Type', 'application/json'],
      ['Content-Encoding', encoding],
      ['Content-Length', String(body.length)],
    ]);
    return rawRequest(target.port, [head, Buffer.from(body)], { firstAnswer: false });
  };

  it.each(['gzip', 'deflate', 'br', 'x-unknown', 'gzip, identity'])('Content-Encoding %s is refused 400 before the code is spent', async (encoding) => {
    const calls = target.wechat.calls.jscode2session;
    const answer = await encodedLogin(encoding);
    expectRefusal(answer, 'WECHAT_BAD_REQUEST');
    expect(target.wechat.calls.jscode2session).toBe(calls);
  });

  it('a refused Content-Encoding is not echoed in the answer', async () => {
    const answer = await encodedLogin(`x-echo-${Date.now().toString(36)}-<b>`);
    expectRefusal(answer, 'WECHAT_BAD_REQUEST');
    expect(answer.body).not.toContain('x-echo-');
  });

  it('bytes that are not UTF-8 are refused 400', async () => {
    const body = Buffer.concat([Buffer.from('{"code":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    const answer = await rawRequest(target.port, [
      requestHead('POST', '/wechat/login', [
        ['Content-Type', 'application/json'],
        ['Content-Length', String(body.length)],
        ['Connection', 'close'],
      ]),
      body,
    ]);
    expectRefusal(answer, 'WECHAT_BAD_REQUEST');
    expect(watcher.problems).toEqual([]);
  });
});
