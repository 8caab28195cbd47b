import fc from 'fast-check';
import { headerBytes } from './arbitraries.js';
import { prototypeFingerprint, refusalProblem, runs, SEED, watchProcess } from './check.js';
import { rawRequest, requestHead } from './raw.js';
import { startTarget, type Target } from './target.js';

/**
 * Tokens of every shape, in both headers, repeated and conflicting, with
 * bytes fetch would refuse to send: only the exact token resolves, and a
 * token that cannot be ours never costs a store round trip.
 */

jest.setTimeout(60_000); // property runs take seconds alone, longer beside the rest of the suite on 2 cores

let target: Target;
let watcher: ReturnType<typeof watchProcess>;

beforeAll(async () => {
  watcher = watchProcess();
  target = await startTarget(2);
});
afterAll(async () => {
  watcher.stop();
  await target.close();
});

const SHAPED = /^[A-Za-z0-9_-]{32}$/;
/** What HTTP strips from around a header value anyway (optional whitespace). */
const OWS = /^[ \t]*|[ \t]*$/g;

type Placement = 'bearer' | 'header' | 'both';

async function ask(path: string, headers: [string, string | Buffer][]): Promise<{ status?: number; code?: string; body: string }> {
  const answer = await rawRequest(target.port, [requestHead('GET', path, [...headers, ['Connection', 'close']])], { timeoutMs: 4000 });
  if (answer.status !== 200) {
    const problem = refusalProblem(answer);
    if (problem) throw new Error(problem);
  }
  let code: string | undefined;
  try {
    code = (JSON.parse(answer.body) as { error?: { code?: string } }).error?.code;
  } catch {
    code = undefined;
  }
  return { status: answer.status, code, body: answer.body };
}

function place(value: Buffer, where: Placement): [string, Buffer][] {
  const bearer: [string, Buffer] = ['Authorization', Buffer.concat([Buffer.from('Bearer '), value])];
  const header: [string, Buffer] = ['X-WX-Session', value];
  return where === 'bearer' ? [bearer] : where === 'header' ? [header] : [bearer, header];
}

/** Near misses of `token`: cut, grown, flipped, re-cased, padded inside, encoded. */
function nearMiss(token: string): fc.Arbitrary<string> {
  const i = fc.nat(token.length - 1);
  const ch = fc.string({ minLength: 1, maxLength: 3, unit: 'binary' }).map((s) => s.replace(/[\r\n]/g, 'x'));
  return fc
    .oneof(
      fc.tuple(ch).map(([c]) => c + token),
      fc.tuple(ch).map(([c]) => token + c),
      fc.tuple(i, ch).map(([at, c]) => token.slice(0, at) + c + token.slice(at + 1)),
      fc.tuple(i, ch).map(([at, c]) => token.slice(0, at) + c + token.slice(at)),
      i.map((at) => token.slice(0, at) + token.slice(at + 1)),
      fc.nat(31).map((n) => token.slice(0, n)),
      fc.nat(31).map((n) => token.slice(n + 1)),
      fc.constant(token.toUpperCase()),
      fc.constant(token.toLowerCase()),
      fc.constant(encodeURIComponent(token).replace(/[A-Za-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`)),
      fc.constant(Buffer.from(token).toString('base64url')),
    )
    .filter((t) => t.replace(OWS, '') !== token);
}

it('resolves the exact token and nothing near it, in either header', async () => {
  const victim = target.victims[0]!;
  const { token } = victim;
  const where = fc.constantFrom<Placement>('bearer', 'header', 'both');
  await fc.assert(
    fc.asyncProperty(nearMiss(token), where, async (miss, placement) => {
      const reads = target.calls.reads;
      const sent = Buffer.from(miss, 'latin1'); // characters past 0xff lose their high byte on the wire
      fc.pre(sent.toString('latin1').replace(OWS, '') !== token);
      const res = await ask('/wechat/session', place(sent, placement));
      if (res.status !== 400 || res.code !== undefined) {
        expect(res.status).toBe(401); // or Node refused the bytes itself
        expect(['WECHAT_SESSION_INVALID', 'WECHAT_SESSION_REQUIRED']).toContain(res.code);
      }
      const shaped = SHAPED.test(sent.toString('latin1').replace(OWS, ''));
      expect(target.calls.reads - reads).toBeLessThanOrEqual(shaped ? 1 : 0);
    }),
    { seed: SEED + 10, numRuns: runs(300) },
  );
  for (const placement of ['bearer', 'header', 'both'] as const) {
    const res = await ask('/wechat/session', place(Buffer.from(token), placement));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).openid).toBe(victim.openid);
  }
});

it('refuses any header bytes around a live token without a store round trip', async () => {
  const { token } = target.victims[0]!;
  const where = fc.constantFrom<Placement>('bearer', 'header');
  const wrapped = fc
    .tuple(headerBytes, headerBytes)
    .map(([a, b]) => Buffer.concat([a, Buffer.from(token), b]))
    .filter((v) => v.toString('latin1').replace(OWS, '') !== token);
  await fc.assert(
    fc.asyncProperty(wrapped, where, async (value, placement) => {
      const reads = target.calls.reads;
      const res = await ask('/alone/require', place(value, placement));
      expect(res.status === 401 || (res.status === 400 && res.code === undefined)).toBe(true);
      expect(target.calls.reads).toBe(reads);
    }),
    { seed: SEED + 11, numRuns: runs(300) },
  );
});

it('refuses repeated and conflicting token headers, whichever comes first', async () => {
  const [a, b] = [target.victims[0]!, target.victims[1]!];
  const cases: [string, [string, string][]][] = [
    [
      'two Authorization headers, live one first',
      [
        ['Authorization', `Bearer ${a.token}`],
        ['Authorization', 'Bearer x'],
      ],
    ],
    [
      'two Authorization headers, live one last',
      [
        ['Authorization', 'Bearer x'],
        ['Authorization', `Bearer ${a.token}`],
      ],
    ],
    [
      'the same Authorization twice',
      [
        ['Authorization', `Bearer ${a.token}`],
        ['authorization', `Bearer ${a.token}`],
      ],
    ],
    [
      'two session headers',
      [
        ['X-WX-Session', a.token],
        ['x-wx-session', a.token],
      ],
    ],
    [
      'two session headers, one empty',
      [
        ['X-WX-Session', a.token],
        ['X-WX-Session', ''],
      ],
    ],
    [
      'two users, one in each header',
      [
        ['Authorization', `Bearer ${a.token}`],
        ['X-WX-Session', b.token],
      ],
    ],
    [
      'a live token and junk',
      [
        ['X-WX-Session', a.token],
        ['Authorization', 'Bearer zzz'],
      ],
    ],
    ['two tokens in one Authorization', [['Authorization', `Bearer ${a.token},${b.token}`]]],
    ['two tokens in one session header', [['X-WX-Session', `${a.token} ${b.token}`]]],
    [
      'a Bearer with nothing after it',
      [
        ['Authorization', 'Bearer'],
        ['X-WX-Session', a.token],
      ],
    ],
  ];
  for (const [what, headers] of cases) {
    const reads = target.calls.reads;
    const res = await ask('/alone/require', headers);
    expect({ what, status: res.status, code: res.code }).toEqual({ what, status: 401, code: 'WECHAT_SESSION_INVALID' });
    expect({ what, reads: target.calls.reads - reads }).toEqual({ what, reads: 0 });
  }
  expect(prototypeFingerprint()).toBeTruthy();
  expect(watcher.problems).toEqual([]);
});

it('answers 401 to control bytes, NUL and obs-text in token headers, or lets Node refuse the request', async () => {
  const { token } = target.victims[0]!;
  for (const byte of [0x00, 0x01, 0x08, 0x0b, 0x1f, 0x7f, 0x80, 0xa0, 0xe9, 0xff]) {
    for (const placement of ['bearer', 'header'] as const) {
      const reads = target.calls.reads;
      const res = await ask('/alone/require', place(Buffer.concat([Buffer.from(token), Buffer.from([byte])]), placement));
      expect(res.status === 401 || (res.status === 400 && res.code === undefined)).toBe(true);
      expect(target.calls.reads).toBe(reads);
    }
  }
  expect(watcher.problems).toEqual([]);
});

it('leaves a token header too large for Node to Node (431), and keeps serving', async () => {
  const huge = 'A'.repeat(20_000);
  const answer = await rawRequest(target.port, [
    requestHead('GET', '/alone/require', [
      ['X-WX-Session', huge],
      ['Connection', 'close'],
    ]),
  ]);
  expect(answer.status).toBe(431);
  expect(refusalProblem(answer)).toBeUndefined();
  const res = await ask('/alone/require', [['Authorization', `Bearer ${target.victims[0]!.token}`]]);
  expect(res.status).toBe(200);
  expect(watcher.problems).toEqual([]);
});
