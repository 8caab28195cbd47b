import fc from 'fast-check';
import { bodyAttack, encode, hostileRequest, type HostileRequest } from './arbitraries.js';
import { prototypeFingerprint, refusalProblem, runs, SEED, watchProcess } from './check.js';
import { rawRequest } from './raw.js';
import { startTarget, type Target } from './target.js';

/**
 * Every route of wechatRouter and each middleware alone, fed hostile
 * requests (any bytes in every field and header, every content type,
 * charset and encoding, prototype keys, repeated and conflicting tokens).
 * Each answer must be one of our 4xx (or Node's own 400/431), quickly; the
 * store must see no write and no read for a token that cannot be ours; no
 * session may change; nothing may leak onto the prototypes or out of a promise.
 */

jest.setTimeout(60_000); // property runs take seconds alone, longer beside the rest of the suite on 2 cores

let target: Target;
let watcher: ReturnType<typeof watchProcess>;
const fingerprint = prototypeFingerprint();

beforeAll(async () => {
  watcher = watchProcess();
  target = await startTarget(3);
  // Every victim's renewal is due: any request that renewed a session would show in the store.
  target.advance(601_000);
});
afterAll(async () => {
  watcher.stop();
  await target.close();
});

const BEARER = /^bearer +(.*?) *$/i;
const SHAPED = /^[A-Za-z0-9_-]{32}$/;

/** Whether some token header of the request could be taken for a token of ours. */
function carriesShapedToken(req: HostileRequest): boolean {
  return req.tokens.some(([, value]) => {
    const text = value.toString('latin1').trim();
    return SHAPED.test(text) || SHAPED.test(BEARER.exec(text)?.[1] ?? '');
  });
}

/** Answers seen, by route, status and code: printed with HOSTILE_VERBOSE to see what the runs reached. */
const seen = new Map<string, number>();
function tally(req: HostileRequest, status: number | undefined, body: string): void {
  let code = 'node';
  try {
    code = (JSON.parse(body) as { error: { code: string } }).error.code;
  } catch {
    // Node's own answer
  }
  const key = `${req.route.method} ${req.route.path} ${status} ${code}`;
  seen.set(key, (seen.get(key) ?? 0) + 1);
}
afterAll(() => {
  if (process.env.HOSTILE_VERBOSE)
    console.log(
      [...seen]
        .sort()
        .map(([k, n]) => `${n}\t${k}`)
        .join('\n'),
    );
});

async function attack(req: HostileRequest): Promise<void> {
  const before = await target.dump();
  const calls = { ...target.calls };
  const answer = await rawRequest(target.port, [encode(req)], { timeoutMs: 4000 });
  const problem = refusalProblem(answer);
  if (problem) throw new Error(`${req.route.method} ${req.route.path}: ${problem}`);
  expect(answer.ms).toBeLessThan(3000);
  expect(target.calls.writes).toBe(calls.writes);
  if (!carriesShapedToken(req)) expect(target.calls.reads).toBe(calls.reads);
  tally(req, answer.status, answer.body);
  expect(await target.dump()).toEqual(before);
  expect(prototypeFingerprint()).toBe(fingerprint);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

it('answers every hostile request with a clean 4xx and leaves every session as it was', async () => {
  const tokens = target.victims.map((v) => v.token);
  await fc.assert(fc.asyncProperty(hostileRequest(tokens), attack), { seed: SEED, numRuns: runs(700) });
  expect(watcher.problems).toEqual([]);
  for (const victim of target.victims) {
    const res = await fetch(`${target.url}/wechat/session`, { headers: { authorization: `Bearer ${victim.token}` } });
    expect(res.status).toBe(200);
  }
});

it('refuses hostile bodies under a live session without renewing, changing or ending it', async () => {
  const tokens = target.victims.map((v) => v.token);
  await fc.assert(fc.asyncProperty(bodyAttack(tokens), attack), { seed: SEED + 2, numRuns: runs(700) });
  expect(watcher.problems).toEqual([]);
});

it('sends no stack trace, prototype key or secret back in any answer', async () => {
  const tokens = target.victims.map((v) => v.token);
  const secrets = [...tokens, target.wechat.appSecret, ...target.victims.map((v) => target.wechat.sessionKeyOf(v.openid)!)];
  await fc.assert(
    fc.asyncProperty(hostileRequest(tokens), async (req) => {
      const answer = await rawRequest(target.port, [encode(req)], { timeoutMs: 4000 });
      for (const secret of secrets) expect(answer.body).not.toContain(secret);
      expect(answer.body).not.toMatch(/polluted|from-proto/);
    }),
    { seed: SEED + 1, numRuns: runs(200) },
  );
  expect(watcher.problems).toEqual([]);
});
