/**
 * A login flood: many logins, each with a code WeChat never issued, while
 * WeChat answers slowly. Every one must be refused (401
 * WECHAT_CODE_INVALID) within the login bound, and the app's CPU per login
 * must stay flat from the first logins to the last: nothing kept per code
 * may make each login dearer than the one before.
 */
import { randomBytes } from 'node:crypto';
import { boundMs } from './config.js';
import type { StandIn } from './faults.js';

/** Logins out at once, and how long the stand-in takes to answer each exchange, ms. */
const CONCURRENCY = 64;
const WECHAT_DELAY_MS = 200;
/** End ≤ this × start, per login. Generous: the check is for growth, not for a speed. */
export const MAX_CPU_GROWTH = 2;

/**
 * `logins` logins with distinct garbage codes against the Redis app, in
 * three stretches (a fifth, three fifths, a fifth); the app's CPU µs per
 * login is read over the first and the last. Answers go by `status code`.
 *
 * @example
 * ```ts
 * const { cpuPerLoginStart, cpuPerLoginEnd } = await loginFlood(app.url, wechat, 1500);
 * ```
 */
export async function loginFlood(appUrl: string, wechat: StandIn, logins: number) {
  const report = {
    logins,
    concurrency: CONCURRENCY,
    wechatDelayMs: WECHAT_DELAY_MS,
    answers: {} as Record<string, number>,
    unexpected: 0,
    maxMs: 0,
    boundMs: boundMs('login'),
    cpuPerLoginStart: 0,
    cpuPerLoginEnd: 0,
  };
  const appCpu = async () => ((await (await fetch(`${appUrl}/__soak/cpu`)).json()) as { micros: number }).micros;
  const login = async () => {
    const sent = performance.now();
    let key = '0 no answer';
    try {
      const body = JSON.stringify({ code: randomBytes(24).toString('base64url') });
      const res = await fetch(`${appUrl}/redis/wechat/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(report.boundMs + 5000),
      });
      key = `${res.status} ${((await res.json()) as { error?: { code?: string } }).error?.code}`;
    } catch {
      // no answer in time, or the connection failed
    }
    report.maxMs = Math.max(report.maxMs, Math.round(performance.now() - sent));
    report.answers[key] = (report.answers[key] ?? 0) + 1;
    if (key !== '401 WECHAT_CODE_INVALID') report.unexpected++;
  };
  const stretch = async (count: number): Promise<number> => {
    const before = await appCpu();
    let left = count;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (left-- > 0) await login();
      }),
    );
    return Math.round(((await appCpu()) - before) / count);
  };
  await wechat('fail', { mode: 'slow', api: 'jscode2session', delayMs: WECHAT_DELAY_MS });
  try {
    const fifth = Math.floor(logins / 5);
    report.cpuPerLoginStart = await stretch(fifth);
    await stretch(logins - 2 * fifth);
    report.cpuPerLoginEnd = await stretch(fifth);
  } finally {
    await wechat('heal');
  }
  return report;
}
