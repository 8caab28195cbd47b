import { createWechatClient, type WechatClientOptions } from '../../src/index.js';
import { MAX_ANSWER_BYTES } from '../../src/client/answer-body.js';
import { startHostileUpstream, type HostileUpstream } from './hostile-upstream.js';

/**
 * Answers WeChat never gives, from a real server on loopback: a redirect is
 * an upstream error (never followed, never retried), and an answer larger
 * than MAX_ANSWER_BYTES is refused without being read to its end.
 */

const SECRET = '5ec2e7a5ec2e7a5ec2e7a5ec2e7a5ec2';
let upstream: HostileUpstream;
let elsewhere: HostileUpstream;

beforeEach(async () => {
  upstream = await startHostileUpstream();
  elsewhere = await startHostileUpstream();
});
afterEach(async () => {
  await upstream.close();
  await elsewhere.close();
});

const client = (extra: Partial<WechatClientOptions> = {}) =>
  createWechatClient({
    appId: 'wx0000000000standin',
    appSecret: SECRET,
    apiBaseUrl: upstream.url,
    retries: 2,
    retryDelay: 1,
    timeout: 5000,
    logger: false,
    ...extra,
  });

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err: unknown) => err as { code?: string; status?: number },
  );

describe('redirects', () => {
  it.each([301, 302, 303, 307, 308])('a %i on stable_token is a 502 WECHAT_UPSTREAM_ERROR, not followed, not retried', async (status) => {
    upstream.answer = { redirect: `${elsewhere.url}/cgi-bin/stable_token`, status };
    expect(await failure(client().getAccessToken())).toMatchObject({ code: 'WECHAT_UPSTREAM_ERROR', status: 502 });
    expect(upstream.paths).toEqual(['/cgi-bin/stable_token']);
    expect(elsewhere.paths).toEqual([]);
    expect(upstream.bodies[0]).toContain(SECRET); // the secret went where it belongs, and only there
  });

  it('a redirect on jscode2session (the AppSecret in its query) is not followed either', async () => {
    upstream.answer = { redirect: `${elsewhere.url}/sns/jscode2session` };
    expect(await failure(client().code2Session('c0de'))).toMatchObject({ code: 'WECHAT_UPSTREAM_ERROR' });
    expect(upstream.paths).toHaveLength(1);
    expect(elsewhere.paths).toEqual([]);
  });

  it('an injected fetch that hands redirects back gets the same 502, without a retry', async () => {
    upstream.answer = { redirect: `${elsewhere.url}/x`, status: 302 };
    const manual: typeof fetch = (input, init) => fetch(input, { ...init, redirect: 'manual' });
    expect(await failure(client({ fetch: manual }).getAccessToken())).toMatchObject({ code: 'WECHAT_UPSTREAM_ERROR' });
    expect(upstream.paths).toHaveLength(1);
    expect(elsewhere.paths).toEqual([]);
  });
});

describe('answers over MAX_ANSWER_BYTES', () => {
  const HUGE = 32 * 1024 * 1024;

  it('a streamed 32 MiB answer is a 502 WECHAT_UPSTREAM_ERROR, not retried, and the rest is never read', async () => {
    upstream.answer = { hugeBytes: HUGE };
    expect(await failure(client().code2Session('c0de'))).toMatchObject({ code: 'WECHAT_UPSTREAM_ERROR', status: 502 });
    await upstream.idle();
    expect(upstream.paths).toHaveLength(1);
    expect(upstream.hugeWritten).toBeLessThan(HUGE / 4); // what the socket buffers held when the client hung up
  });

  it('an answer that declares a length over the cap is refused before its body is read', async () => {
    upstream.answer = { hugeBytes: HUGE, declared: true };
    expect(await failure(client().getAccessToken())).toMatchObject({ code: 'WECHAT_UPSTREAM_ERROR' });
    await upstream.idle();
    expect(upstream.paths).toHaveLength(1);
    expect(upstream.hugeWritten).toBeLessThan(HUGE / 4);
  });

  it('an answer of exactly MAX_ANSWER_BYTES is still read', async () => {
    const token = { access_token: 'T'.repeat(64), expires_in: 7200 };
    const padding = MAX_ANSWER_BYTES - JSON.stringify({ ...token, pad: '' }).length;
    upstream.answer = { json: { ...token, pad: ' '.repeat(padding) } };
    expect(await client().getAccessToken()).toBe(token.access_token);
  });
});
