import { createWechatClient, type WechatClientOptions } from '../../src/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { startHostileUpstream, type HostileUpstream } from './hostile-upstream.js';

/**
 * The bound on outbound work: a client runs at most `maxConcurrentCalls`
 * WeChat calls at once, queues at most `maxQueuedCalls` more, and refuses
 * the rest at once with 503 WECHAT_UPSTREAM_BUSY and `Retry-After: 1`.
 */

let upstream: HostileUpstream;
beforeEach(async () => {
  upstream = await startHostileUpstream();
});
afterEach(() => upstream.close());

const client = (extra: Partial<WechatClientOptions> = {}) =>
  createWechatClient({
    appId: 'wx0000000000standin',
    appSecret: '0123456789abcdef0123456789abcdef',
    apiBaseUrl: upstream.url,
    logger: false,
    timeout: 10_000,
    ...extra,
  });

/** Wait, without a clock, until `done()` holds (each check one turn of the event loop apart). */
async function until(done: () => boolean): Promise<void> {
  for (let turns = 0; !done(); turns++) {
    if (turns > 100_000) throw new Error('condition never held');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

it('never has more than maxConcurrentCalls calls at a slow upstream, and runs every queued call', async () => {
  upstream.answer = { json: { openid: 'oSlowUpstream', session_key: 'AAAAAAAAAAAAAAAAAAAAAA==' }, delayMs: 20 };
  const wx = client({ maxConcurrentCalls: 4, maxQueuedCalls: 100 });
  const results = await Promise.all(Array.from({ length: 60 }, (_, i) => wx.code2Session(`code${i}`)));
  expect(results.every((r) => r.openid === 'oSlowUpstream')).toBe(true);
  expect(upstream.paths).toHaveLength(60);
  expect(upstream.peak).toBe(4);
  expect(upstream.socketPeak).toBe(4); // a call handed a place reuses the socket of the call that ended
});

it('holds at most 32 sockets by default', async () => {
  upstream.answer = 'hold';
  const wx = client();
  const calls = Array.from({ length: 100 }, (_, i) => wx.code2Session(`code${i}`));
  await until(() => upstream.paths.length === 32);
  await new Promise((resolve) => setTimeout(resolve, 50)); // room for any call past the bound to arrive
  expect(upstream.open).toBe(32);
  upstream.answer = 'login';
  upstream.release();
  await Promise.all(calls);
  expect(upstream.peak).toBe(32);
  expect(upstream.socketPeak).toBe(32);
  expect(upstream.paths).toHaveLength(100);
});

it('refuses a call past the queue at once with WECHAT_UPSTREAM_BUSY, before anything is sent', async () => {
  upstream.answer = 'hold';
  const wx = client({ maxConcurrentCalls: 1, maxQueuedCalls: 1 });
  const running = wx.code2Session('first');
  const queued = wx.code2Session('second');
  await until(() => upstream.paths.length === 1);
  await expect(wx.code2Session('third')).rejects.toMatchObject({ code: 'WECHAT_UPSTREAM_BUSY', status: 503, retryAfter: 1 });
  upstream.answer = 'login';
  upstream.release();
  await Promise.all([running, queued]);
  expect(upstream.paths).toHaveLength(2);
  expect(upstream.peak).toBe(1);
});

it('queued calls that wait longer than `timeout` for a place give up with WECHAT_UPSTREAM_BUSY, unsent', async () => {
  upstream.answer = 'hold';
  const wx = client({ maxConcurrentCalls: 1, timeout: 300 });
  const code = (call: Promise<unknown>) =>
    call.then(
      () => 'ok',
      (err: { code: string }) => err.code,
    );
  const first = code(wx.code2Session('first'));
  await until(() => upstream.paths.length === 1);
  // The place frees when the first times out; at most one waiter gets it before the others' wait runs out.
  const queued = await Promise.all(['a', 'b', 'c'].map((c) => code(wx.code2Session(c))));
  expect(await first).toBe('WECHAT_UPSTREAM_TIMEOUT');
  const sent = queued.filter((c) => c === 'WECHAT_UPSTREAM_TIMEOUT').length;
  expect(sent).toBeLessThanOrEqual(1);
  expect(queued.filter((c) => c === 'WECHAT_UPSTREAM_BUSY')).toHaveLength(3 - sent);
  expect(upstream.paths).toHaveLength(1 + sent);
});

it.each([
  [{ maxConcurrentCalls: 0 }],
  [{ maxConcurrentCalls: 2.5 }],
  [{ maxConcurrentCalls: 5000 }],
  [{ maxQueuedCalls: -1 }],
  [{ maxQueuedCalls: '10' as unknown as number }],
])('refuses %j with a TypeError', (options) => {
  expect(() => client(options)).toThrow(TypeError);
});

describe('through wechatLogin', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ apiBaseUrl: upstream.url, maxConcurrentCalls: 2, maxQueuedCalls: 3, timeout: 10_000 });
  });
  afterEach(() => h.close());

  it('logins past the queue answer 503 WECHAT_UPSTREAM_BUSY with Retry-After: 1; the others log in', async () => {
    upstream.answer = 'hold';
    const answers: { status: number; body: any; headers: Headers }[] = [];
    const logins = Array.from({ length: 8 }, (_, i) => h.post('/wechat/login', { code: `busy-code-${i}` }).then((a) => (answers.push(a), a)));
    await until(() => answers.length === 3 && upstream.open === 2);
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe('WECHAT_UPSTREAM_BUSY');
      expect(answer.headers.get('retry-after')).toBe('1');
    }
    upstream.answer = 'login';
    upstream.release();
    const all = await Promise.all(logins);
    expect(all.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 503, 503, 503]);
    expect(upstream.paths).toHaveLength(5);
    expect(upstream.peak).toBe(2);
  });
});
