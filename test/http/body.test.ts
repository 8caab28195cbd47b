import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_FORM_FIELDS, optionalString, readFields, stringField, type Fields } from '../../src/http/body.js';
import type { WechatError } from '../../src/index.js';

/**
 * readFields on real requests: a server that reads each body with a limit of
 * 64 bytes and answers what it got, or the refusal's code and field, and
 * whether the body was left unread (the request not complete when refused:
 * the error answer then closes the connection).
 */

const LIMIT = 64;
/** Runs before readFields on each request: stands in for a body parser the app ran first. */
let before: (req: IncomingMessage & { body?: unknown; _body?: unknown }) => unknown = () => undefined;
/** Every outcome the server reached, in order (a client that hung up sees none). */
const outcomes: Outcome[] = [];
let server: Server;
let port: number;

interface Outcome {
  fields?: Fields;
  code?: string;
  field?: string;
  abandoned: boolean;
}

const EVENTS = ['data', 'end', 'error', 'aborted', 'close'] as const;
/** Listeners readFields left on the request after it settled (fewer would be one of Node's own gone). */
const leftListeners: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let counts: number[] = [];
    Promise.resolve(before(req))
      .then(() => {
        counts = EVENTS.map((e) => req.listenerCount(e));
        return readFields(req, LIMIT, 300);
      })
      .finally(() => {
        leftListeners.push(EVENTS.map((e, i) => req.listenerCount(e) - counts[i]!).reduce((a, b) => a + b, 0));
      })
      .then(
        (fields) => ({ fields: { ...fields }, abandoned: false }),
        (err: WechatError) => {
          expect(err.message.length).toBeGreaterThan(0);
          return { code: err.code, field: err.field, abandoned: !req.complete };
        },
      )
      .then((outcome) => {
        outcomes.push(outcome);
        res.setHeader('connection', 'close').end(JSON.stringify(outcome));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterEach(() => {
  before = () => undefined;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** POST `parts` (written one after another, then ended unless `cut`) with `headers`; resolves the outcome. */
function post(headers: Record<string, string | number>, parts: (string | Buffer)[], cut = false): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString()) as Outcome));
    });
    req.on('error', reject);
    for (const part of parts) req.write(part);
    if (cut) setTimeout(() => req.socket?.destroy(), 50);
    else req.end();
  });
}

const json = (body: string, type = 'application/json') => post({ 'content-type': type, 'content-length': Buffer.byteLength(body) }, [body]);
const refused = (field = 'body') => ({ code: 'WECHAT_BAD_REQUEST', field, abandoned: false });
const read = (fields: Fields) => ({ fields, abandoned: false });

describe('readFields: content types and charsets', () => {
  it('parses JSON under every spelling of its type and a UTF-8 charset', async () => {
    for (const type of [
      'application/json',
      'Application/JSON',
      ' application/json ',
      'application/json ; charset=utf-8',
      'application/json; charset=utf-8',
      'application/json;charset="UTF-8"',
      'application/json; foo=bar',
      'application/json; xcharset=latin1',
      'application/json; charset=utf8; q=1',
      'application/problem+json',
    ]) {
      expect({ type, outcome: await json('{"code":"c"}', type) }).toEqual({ type, outcome: read({ code: 'c' }) });
    }
  });

  it('refuses other charsets, other types, and JSON that is not an object', async () => {
    for (const type of [
      'application/json; charset=latin1',
      'application/json; charset="gbk"',
      'text/plain',
      'application/jsonx',
      'json',
      'application/json+xml',
    ]) {
      expect({ type, outcome: await json('{"code":"c"}', type) }).toEqual({ type, outcome: refused() });
    }
    for (const body of ['{"code":', 'null', '[{"code":"c"}]', '42', '"code"', '']) {
      expect({ body, outcome: await json(body) }).toEqual({ body, outcome: refused() });
    }
  });

  it('reads form fields, a repeated one as every value in order', async () => {
    const form = 'application/x-www-form-urlencoded';
    expect(await json('code=a&iv=b+c', form)).toEqual(read({ code: 'a', iv: 'b c' }));
    expect(await json('code=a&code=b&code=c&x=', form)).toEqual(read({ code: ['a', 'b', 'c'], x: '' }));
    expect(await json('', `${form}; charset=UTF-8`)).toEqual(read({}));
  });

  it('takes a body without a type only when it is empty or blank', async () => {
    expect(await post({}, [])).toEqual(read({}));
    expect(await post({ 'content-length': 3 }, [' \n '])).toEqual(read({}));
    expect(await post({ 'content-length': 12 }, ['{"code":"c"}'])).toEqual(refused());
    expect(await post({ 'content-type': 'text/plain', 'content-length': 0 }, [])).toEqual(refused());
  });

  it('refuses bytes that are not UTF-8, and a Content-Encoding other than identity', async () => {
    const bytes = Buffer.concat([Buffer.from('{"code":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect(await post({ 'content-type': 'application/json', 'content-length': bytes.length }, [bytes])).toEqual(refused());
    const form = Buffer.concat([Buffer.from('code='), Buffer.from([0xff])]);
    expect(await post({ 'content-type': 'application/x-www-form-urlencoded', 'content-length': form.length }, [form])).toEqual(refused());
    for (const encoding of ['identity', 'IDENTITY']) {
      expect(await post({ 'content-type': 'application/json', 'content-encoding': encoding, 'content-length': 2 }, ['{}'])).toEqual(read({}));
    }
    for (const encoding of ['gzip', 'identity, gzip']) {
      expect(await post({ 'content-type': 'application/json', 'content-encoding': encoding, 'content-length': 2 }, ['{}'])).toEqual({
        ...refused(),
        abandoned: true,
      });
    }
  });
});

describe('readFields: sizes and bodies that never end', () => {
  const chunked = { 'content-type': 'application/json', 'transfer-encoding': 'chunked' };
  const exactly = (n: number) => `{"code":"${'x'.repeat(n - 11)}"}`;

  it('takes a body of exactly the limit, declared or chunked, and refuses one byte more', async () => {
    expect(exactly(LIMIT)).toHaveLength(LIMIT);
    expect(await json(exactly(LIMIT))).toEqual(read({ code: 'x'.repeat(LIMIT - 11) }));
    expect(await post(chunked, [exactly(LIMIT).slice(0, 30), exactly(LIMIT).slice(30)])).toEqual(read({ code: 'x'.repeat(LIMIT - 11) }));
    expect(await json(exactly(LIMIT + 1))).toEqual({ code: 'WECHAT_BODY_TOO_LARGE', abandoned: true });
    expect(await post(chunked, [exactly(LIMIT + 1).slice(0, 30), exactly(LIMIT + 1).slice(30)])).toEqual({ code: 'WECHAT_BODY_TOO_LARGE', abandoned: true });
  });

  it('refuses a declared length over the limit at once, before any of the body came', async () => {
    expect(await post({ 'content-type': 'application/json', 'content-length': LIMIT + 1 }, ['{'])).toEqual({ code: 'WECHAT_BODY_TOO_LARGE', abandoned: true });
  });

  it('answers a stream that fails, is aborted or closes mid-body with a 400, and leaves no listener behind', async () => {
    leftListeners.length = 0;
    for (const event of ['error', 'aborted', 'close'] as const) {
      before = (req) => {
        req.on('error', () => undefined); // once readFields let go, a later error must not end the process
        setTimeout(() => (event === 'error' ? req.emit('error', new Error('the socket broke')) : req.emit(event)), 20);
      };
      const outcome = await post({ 'content-type': 'application/json', 'content-length': 40 }, ['{"code":']);
      expect({ event, outcome }).toEqual({ event, outcome: { code: 'WECHAT_BAD_REQUEST', field: 'body', abandoned: true } });
    }
    before = () => undefined;
    expect(await json('{"code":"c"}')).toEqual(read({ code: 'c' }));
    expect(await json(`{"code":"${'x'.repeat(LIMIT)}"}`)).toEqual({ code: 'WECHAT_BODY_TOO_LARGE', abandoned: true });
    expect(await post({ 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, ['{"code":"', 'x'.repeat(LIMIT)])).toEqual({
      code: 'WECHAT_BODY_TOO_LARGE',
      abandoned: true,
    });
    expect(leftListeners).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('answers a body that stops arriving with a timeout, and one the client abandons with a 400', async () => {
    const seen = outcomes.length;
    expect(await post(chunked, ['{"code":'], true).catch(() => 'closed')).toBe('closed');
    while (outcomes.length === seen) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(outcomes[seen]).toEqual({ code: 'WECHAT_BAD_REQUEST', field: 'body', abandoned: true });
    const waiting = post({ 'content-type': 'application/json', 'content-length': 40 }, ['{"code":']);
    expect(await waiting).toEqual({ code: 'WECHAT_REQUEST_TIMEOUT', abandoned: true });
  });
});

describe('readFields: bodies a parser already read', () => {
  it('returns a parsed object as it is, and parses a string or a Buffer by the type', async () => {
    before = (req) => {
      req.body = { code: 'parsed' };
    };
    expect(await json('{"code":"raw"}')).toEqual(read({ code: 'parsed' }));
    before = (req) => {
      req.body = '{"code":"text"}';
    };
    expect(await json('{"code":"raw"}')).toEqual(read({ code: 'text' }));
    before = (req) => {
      req.body = Buffer.from('code=buffer');
    };
    expect(await json('{"code":"raw"}', 'application/x-www-form-urlencoded')).toEqual(read({ code: 'buffer' }));
    before = (req) => {
      req.body = Buffer.from([0xff]);
    };
    expect(await json('{"code":"raw"}')).toEqual({ ...refused(), abandoned: true });
  });

  it(`reads a form of ${MAX_FORM_FIELDS} pairs and refuses one of ${MAX_FORM_FIELDS + 1}, before collecting them`, async () => {
    const form = (pairs: number) => Array.from({ length: pairs }, (_, i) => `f${i}=${i}`).join('&');
    before = (req) => {
      req.body = form(MAX_FORM_FIELDS);
    };
    const outcome = await json('{}', 'application/x-www-form-urlencoded');
    expect(Object.keys(outcome.fields ?? {})).toHaveLength(MAX_FORM_FIELDS);
    before = (req) => {
      req.body = form(MAX_FORM_FIELDS + 1);
    };
    expect(await json('{}', 'application/x-www-form-urlencoded')).toEqual({ ...refused(), abandoned: true });
  });

  it('reads the body itself under the empty placeholder a parser left over an unread body, and keeps one it did read', async () => {
    before = (req) => {
      req.body = {};
    };
    expect(await json('{"code":"raw"}')).toEqual(read({ code: 'raw' }));
    before = (req) => {
      req.body = {};
      req._body = true;
    };
    expect(await json('{"code":"raw"}')).toEqual(read({}));
    before = (req) => {
      req.body = null;
    };
    expect(await json('{"code":"raw"}')).toEqual(read({ code: 'raw' }));
  });

  it('answers no fields for a stream already read to its end, and keeps an empty body when the stream already flows', async () => {
    before = (req) => new Promise((resolve) => req.on('end', resolve).resume());
    expect(await json('{"code":"raw"}')).toEqual(read({}));
    before = (req) => {
      req.body = {};
      req.on('data', () => undefined);
    };
    expect(await json('{"code":"raw"}')).toEqual(read({}));
  });
});

describe('stringField and optionalString', () => {
  const fields: Fields = { code: 'abc', empty: '', list: ['a', 'b'], num: 7, nil: null, long: 'x'.repeat(9000), edge: 'x'.repeat(8192) };
  const code = (fn: () => unknown) => {
    try {
      return fn();
    } catch (err) {
      expect((err as WechatError).message.length).toBeGreaterThan(0);
      return { code: (err as WechatError).code, field: (err as WechatError).field };
    }
  };

  it('stringField wants a present string of the shape', () => {
    expect(stringField(fields, 'code', /^[a-c]+$/, 'letters')).toBe('abc');
    for (const name of ['missing', 'empty', 'list', 'num']) {
      expect(code(() => stringField(fields, name, /./, 'anything'))).toEqual({ code: 'WECHAT_BAD_REQUEST', field: name });
    }
    expect(code(() => stringField(fields, 'code', /^x/, 'an x'))).toEqual({ code: 'WECHAT_BAD_REQUEST', field: 'code' });
    expect(code(() => stringField(fields, 'empty', /^a*$/, 'a run of a'))).toEqual({ code: 'WECHAT_BAD_REQUEST', field: 'empty' });
  });

  it('optionalString takes absence, null and the empty string as none, and bounds the length', () => {
    for (const name of ['missing', 'empty', 'nil']) expect(optionalString(fields, name)).toBeUndefined();
    expect(optionalString(fields, 'code')).toBe('abc');
    expect(optionalString(fields, 'edge')).toHaveLength(8192);
    expect(optionalString(fields, 'code', 3)).toBe('abc');
    for (const [name, max] of [
      ['long', undefined],
      ['code', 2],
      ['list', undefined],
      ['num', undefined],
    ] as const) {
      expect(code(() => optionalString(fields, name, max))).toEqual({ code: 'WECHAT_BAD_REQUEST', field: name });
    }
  });
});
