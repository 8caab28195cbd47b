import type { Harness } from '../support/harness.js';

/** One request of background traffic. */
export interface Sample {
  start: number;
  end: number;
  status: number;
  /** `error.code` of the answer, `NETWORK` when no answer came, `WRONG_USER` for a 200 naming another openid. */
  code?: string;
  token: string;
}

export interface Traffic {
  readonly samples: Sample[];
  /** Stop the workers and wait for the requests in flight. */
  stop(): Promise<void>;
}

const ms = (s: Sample) => s.end - s.start;

/** A token and the openid it must resolve to. */
export interface Login {
  token: string;
  openid: string;
}

/** Traffic not stopped yet: a test that fails half-way must not leave its loops running. */
const running = new Set<Traffic>();

/**
 * Stop every traffic still running (from `afterEach`): a failed assertion
 * between `startTraffic` and `stop()` would otherwise leave the workers
 * looping, and the test run hanging.
 */
export async function stopAllTraffic(): Promise<void> {
  await Promise.all([...running].map((traffic) => traffic.stop()));
}

/**
 * `workers` loops, each sending `GET /api/me` with the next of `logins`
 * (read through `logins()` so the test can swap them) until stopped. A 200
 * that names another openid than the token's is recorded as `WRONG_USER`.
 */
export function startTraffic(app: Harness, logins: () => readonly Login[], workers = 6): Traffic {
  const samples: Sample[] = [];
  let active = true;
  let turn = 0;
  const loop = async () => {
    while (active) {
      const list = logins();
      const { token, openid } = list[turn++ % list.length]!;
      const start = Date.now();
      try {
        const res = await app.get('/api/me', token);
        const code = res.status === 200 && res.body?.openid !== openid ? 'WRONG_USER' : res.body?.error?.code;
        samples.push({ start, end: Date.now(), status: res.status, code, token });
      } catch {
        samples.push({ start, end: Date.now(), status: 0, code: 'NETWORK', token });
      }
    }
  };
  const loops = Array.from({ length: workers }, loop);
  const traffic: Traffic = {
    samples,
    async stop() {
      active = false;
      running.delete(traffic);
      await Promise.all(loops);
    },
  };
  running.add(traffic);
  return traffic;
}

/** Samples that started at or after `from` and ended before `to`. */
export const between = (samples: readonly Sample[], from: number, to: number): Sample[] => samples.filter((s) => s.start >= from && s.end <= to);

/** Status and code of a sample, e.g. `503 WECHAT_STORE_UNAVAILABLE`. */
export const outcome = (s: Sample): string => (s.code ? `${s.status} ${s.code}` : String(s.status));

/** Median and largest duration of `samples`, in ms. */
export function durations(samples: readonly Sample[]): { median: number; max: number } {
  const sorted = samples.map(ms).sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? NaN, max: sorted[sorted.length - 1] ?? NaN };
}
